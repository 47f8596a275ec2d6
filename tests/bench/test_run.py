from bench.run import FULL, QUICK, _arguments, _scale, import_size


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


def test_the_import_never_holds_more_questions_than_the_site_accepts():
    assert import_size(FULL, limit=5_000) == 5_000
    assert import_size(QUICK, limit=5_000) == QUICK.import_questions
