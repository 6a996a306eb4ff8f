"""Hidden tests for lock-across-get: an exporter that may start before any publisher."""

from tutor.interleave import explore

import submission


def _publisher(*updates):
    def run(pipeline):
        for name, amount in updates:
            pipeline.publish(name, amount)
    return run


def _exporter(count):
    def run(pipeline):
        for _ in range(count):
            pipeline.export_one()
    return run


def test_publish_then_export_in_one_thread():
    def one_thread(pipeline):
        _publisher(("hits", 2), ("errors", 1), ("hits", 3))(pipeline)
        _exporter(3)(pipeline)

    def check(pipeline):
        assert pipeline.totals == {"hits": 5, "errors": 1}
        assert pipeline.exported == pipeline.totals

    explore(submission.MetricsPipeline, [one_thread], check)


def test_exporter_started_first_does_not_block_publishers():
    def check(pipeline):
        assert pipeline.totals == {"hits": 3}
        assert pipeline.exported == {"hits": 3}, f"exported {pipeline.exported}"

    # A correct pipeline's schedules are all tried in well under a second; the extra budget is
    # for broken ones whose failing schedule comes late (a sleep that must time out first).
    explore(
        submission.MetricsPipeline,
        [_exporter(2), _publisher(("hits", 1)), _publisher(("hits", 2))],
        check,
        budget_s=3.0,
    )
