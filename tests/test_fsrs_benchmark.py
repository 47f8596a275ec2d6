"""`manage.py fsrs_benchmark FILE.csv`: default against fitted parameters on a log split in time."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.learner_simulation import LEARNER_PARAMETERS

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXAMPLE_LOG = PROJECT_DIR / "fixtures" / "fsrs-example-log.csv"
METRICS_LINE = re.compile(
    r"^(default|fitted|given): +(log_loss=\d\.\d{4} rmse_bins=\d\.\d{4} auc=\d\.\d{4} n=\d+)$",
    re.MULTILINE,
)

# Ten reviews: the first seven (by time) are fitted on, the last three tested. Of those, a's
# second review (5 days after its first) and b's second (10 days after) are predicted; b's third,
# ten minutes after its second, is a same-day review and is not.
TINY_LOG = """\
card_id,review_rating,review_time,review_duration
a,3,2026-03-02T08:00:00Z,4100
b,4,2026-03-02T08:01:00Z,2300
c,3,2026-03-02T08:02:00Z,5200
d,2,2026-03-02T08:03:00Z,8800
d,3,2026-03-03T09:00:00Z,6100
c,3,2026-03-04T09:00:00Z,3900
c,3,2026-03-06T09:00:00Z,3000
a,3,2026-03-07T08:00:00Z,4500
b,1,2026-03-12T08:01:00Z,12000
b,3,2026-03-12T08:11:00Z,7000
"""


def run_benchmark(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("fsrs_benchmark", str(path), *args, stdout=out)
    return out.getvalue()


def metric_lines(output: str) -> dict[str, str]:
    return dict(METRICS_LINE.findall(output))


def test_default_parameters_score_the_tiny_log_as_worked_out_by_hand(tmp_path):
    """Default FSRS-6 parameters: w2 = 2.3065 (first rating Good), w3 = 8.2956 (Easy),
    w20 = 0.1542; F = 0.9 ** (-1/0.1542) - 1 = 0.980346.

    a: Good, then 5 days later: R = (1 + 0.980346·5/2.3065) ** -0.1542 = 0.838861; recalled.
    b: Easy, then 10 days later: R = (1 + 0.980346·10/8.2956) ** -0.1542 = 0.886657; forgotten.

    log loss = -(ln 0.838861 + ln(1 - 0.886657)) / 2 = (0.175699 + 2.177350) / 2 = 1.176524
    RMSE(bins): both have t in [3.62, 13.1) → bin 8.98, i = 2 → bin 4, no lapse → one bin;
        mean p (0.838861 + 0.886657) / 2 = 0.862759 against 1 recalled of 2: |0.862759 - 0.5|
        = 0.362759
    AUC: the one recalled review got the lower probability: 0 of 1 pairs ordered right → 0.
    """
    log = tmp_path / "tiny.csv"
    log.write_text(TINY_LOG)

    output = run_benchmark(log)

    assert (
        "Fitted to the first 7 reviews; tested on the 2 predictable reviews among the last 3"
        in (output)
    )
    assert metric_lines(output)["default"] == "log_loss=1.1765 rmse_bins=0.3628 auc=0.0000 n=2"
    assert metric_lines(output)["fitted"].endswith(" n=2")


def test_parameters_fitted_to_the_example_log_predict_its_last_30_percent_better():
    output = run_benchmark(EXAMPLE_LOG)

    lines = metric_lines(output)
    default = dict(pair.split("=") for pair in lines["default"].split())
    fitted = dict(pair.split("=") for pair in lines["fitted"].split())
    assert default["n"] == fitted["n"]
    assert float(fitted["log_loss"]) < float(default["log_loss"])
    assert float(fitted["rmse_bins"]) < float(default["rmse_bins"])
    assert re.search(r"^fitted parameters: (\d+(\.\d+)?, ){20}\d+(\.\d+)?$", output, re.MULTILINE)


def test_the_readme_shows_the_figures_the_example_log_gives():
    given = ",".join(str(value) for value in LEARNER_PARAMETERS)
    output = run_benchmark(EXAMPLE_LOG, "--parameters", given)

    readme = (PROJECT_DIR / "README.md").read_text()
    for label, figures in metric_lines(output).items():
        assert re.search(rf"{label}: +{re.escape(figures)}", readme), f"README lacks {label}"


def test_given_parameters_are_scored_on_the_same_reviews(tmp_path):
    log = tmp_path / "tiny.csv"
    log.write_text(TINY_LOG)
    defaults = "0.212,1.2931,2.3065,8.2956,6.4133,0.8334,3.0194,0.001,1.8722,0.1666,0.796,1.4835,"
    defaults += "0.0614,0.2629,1.6483,0.6014,1.8729,0.5425,0.0912,0.0658,0.1542"

    lines = metric_lines(run_benchmark(log, "--parameters", defaults))

    assert lines["given"] == lines["default"]


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ("0.2,1.3", "--parameters: FSRS-6 has 21 parameters; the optimizer returned 2."),
        ("0.2," * 20 + "0.95", "--parameters: some values are outside FSRS-6's bounds."),
        ("a,b", "--parameters: could not convert string to float: 'a'"),
    ],
)
def test_given_parameters_that_are_not_fsrs6_are_refused(tmp_path, parameters, message):
    log = tmp_path / "tiny.csv"
    log.write_text(TINY_LOG)

    with pytest.raises(CommandError) as error:
        run_benchmark(log, "--parameters", parameters)

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "card_id,rating\n1,3\n",
            "line 1: missing column(s): review_rating, review_time, review_duration.",
        ),
        (TINY_LOG.replace("c,3,2026-03-04", "c,0,2026-03-04"), "line 7: review_rating is 1, 2"),
        (TINY_LOG.splitlines()[0] + "\na,3,2026-03-02T08:00:00Z,1\n", "too short to split"),
        ("\n".join(TINY_LOG.splitlines()[:5]) + "\n", "No review was made a day or more after"),
    ],
)
def test_a_log_that_cannot_be_benchmarked_is_refused_with_the_reason(tmp_path, content, message):
    log = tmp_path / "log.csv"
    log.write_text(content)

    with pytest.raises(CommandError, match=re.escape(message)) as error:
        run_benchmark(log)

    assert str(error.value).startswith(f"{log}: ")


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_benchmark(tmp_path / "nowhere.csv")
