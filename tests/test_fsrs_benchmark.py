"""`manage.py fsrs_benchmark`: the comparison table of defaults, fsrs-rs fed Anki-style items and
quizsite's fit, by time-series splits and a single split in time."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.learner_simulation import LEARNER_PARAMETERS

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXAMPLE_LOG = PROJECT_DIR / "fixtures" / "fsrs-example-log.csv"
TABLE_ROW = re.compile(
    r"^(defaults|fsrs-rs, Anki items|quizsite|given) +(\d\.\d{4}) +(\d\.\d{4}) +(\d\.\d{4}|nan) +(\d+)$",
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


def tables(output: str) -> tuple[dict, dict]:
    """The time-series table and the single-split table: method → (log loss, RMSE, AUC, n)."""
    series, _, split = output.partition("Single split")

    def rows(text):
        return {
            name: (float(loss), float(rmse), float(auc), int(n))
            for name, loss, rmse, auc, n in TABLE_ROW.findall(text)
        }

    return rows(series), rows(split)


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

    assert "predictable reviews from 2026-03-07 08:00 UTC scored" in output
    # Five predictable reviews: too few for six segments, and said so.
    assert "No time-series splits: Time-series evaluation needs at least 6" in output
    series, split = tables(output)
    assert series == {}
    assert split["defaults"] == (1.1765, 0.3628, 0.0, 2)
    # Too little to fit: fsrs-rs keeps its defaults, and so does quizsite.
    assert split["fsrs-rs, Anki items"] == split["quizsite"] == split["defaults"]


def test_on_the_example_log_our_fit_beats_the_defaults_and_matches_fsrs_rs():
    output = run_benchmark(EXAMPLE_LOG)

    for table in tables(output):
        defaults, reference, ours = (
            table[name] for name in ("defaults", "fsrs-rs, Anki items", "quizsite")
        )
        assert defaults[3] == reference[3] == ours[3] > 1000
        assert ours[0] < defaults[0] - 0.005
        assert ours[1] < defaults[1]
        assert ours[0] <= reference[0] + 0.0005
    assert re.search(
        r"^quizsite's parameters \(single split\): (\d+(\.\d+)?, ){20}\d+(\.\d+)?$",
        output,
        re.MULTILINE,
    )


def test_our_time_series_splits_agree_with_fsrs_rs_on_the_example_log():
    output = run_benchmark(EXAMPLE_LOG)

    series, _ = tables(output)
    own = re.search(
        r"own evaluate_with_time_series_splits on the same items: "
        r"log_loss=(\d\.\d{4}) rmse_bins=(\d\.\d{4})",
        output,
    )
    assert abs(float(own[1]) - series["fsrs-rs, Anki items"][0]) <= 0.0002
    assert abs(float(own[2]) - series["fsrs-rs, Anki items"][1]) <= 0.0002


def test_the_readme_shows_the_output_the_example_log_gives():
    given = ",".join(str(value) for value in LEARNER_PARAMETERS)
    output = run_benchmark(EXAMPLE_LOG, "--parameters", given)

    readme = (PROJECT_DIR / "README.md").read_text()
    assert output in readme


def test_days_are_counted_in_the_given_time_zone_and_rollover(tmp_path):
    # Card x is seen at 20:00 and at 02:00 UTC: one study day in UTC from 4 a.m. (not predicted);
    # in New York (then UTC-4) with days from 6 p.m., 16:00 and 22:00 fall on two days.
    log = tmp_path / "tiny.csv"
    log.write_text(TINY_LOG + "x,3,2026-03-12T20:00:00Z,1000\nx,3,2026-03-13T02:00:00Z,900\n")

    in_utc = run_benchmark(log)
    in_new_york = run_benchmark(log, "--timezone", "America/New_York", "--rollover", "18")

    assert in_utc.startswith("Days start at 4:00 in UTC.")
    assert in_new_york.startswith("Days start at 18:00 in America/New_York.")
    assert tables(in_utc)[1]["defaults"][3] == 1
    assert tables(in_new_york)[1]["defaults"][3] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--timezone", "Mars/Olympus"), "--timezone/--rollover: Unknown time zone 'Mars/Olympus'"),
        (
            ("--rollover", "24"),
            "--timezone/--rollover: The day starts at a whole hour from 0 to 23",
        ),
    ],
)
def test_an_unknown_zone_or_an_impossible_rollover_is_refused(tmp_path, args, message):
    log = tmp_path / "tiny.csv"
    log.write_text(TINY_LOG)

    with pytest.raises(CommandError, match=re.escape(message)):
        run_benchmark(log, *args)


def test_given_parameters_are_scored_on_the_same_reviews(tmp_path):
    log = tmp_path / "tiny.csv"
    log.write_text(TINY_LOG)
    defaults = "0.212,1.2931,2.3065,8.2956,6.4133,0.8334,3.0194,0.001,1.8722,0.1666,0.796,1.4835,"
    defaults += "0.0614,0.2629,1.6483,0.6014,1.8729,0.5425,0.0912,0.0658,0.1542"

    _, split = tables(run_benchmark(log, "--parameters", defaults))

    assert split["given"] == split["defaults"]


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
        ("\n".join(TINY_LOG.splitlines()[:5]) + "\n", "No review was made on a later day than"),
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
