from bench.run import FULL, QUICK, _arguments, _scale


def test_the_full_scale_is_the_issues_school():
    scale = _scale(_arguments([]))
    assert scale == FULL
    assert (scale.students, scale.questions) == (1_000, 500)
    assert (scale.small_reviews, scale.large_reviews) == (10_000, 1_000_000)
    assert scale.import_questions == 10_000


def test_quick_is_smaller_and_keeps_overrides():
    scale = _scale(_arguments(["--quick", "--students", "50", "--load-seconds", "4"]))
    assert scale.students == 50
    assert scale.load_seconds == 4
    assert scale.large_reviews == QUICK.large_reviews < FULL.large_reviews
