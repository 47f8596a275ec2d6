"""Two gunicorn nodes sharing one PostgreSQL database and one Redis, with a Celery worker:
what a load balancer in front of several machines relies on. Run by `make multinode`
(in .ci/run), not by `make test`: it needs PostgreSQL and Redis, and starts real servers."""

import itertools
import os
import re
import signal
import threading
import time
import uuid

import pytest
import requests

from tests.multinode.cluster import LOOPBACK, build_cluster, children

pytestmark = pytest.mark.multinode

LOAD_SECONDS = 6.0
GIFT_QUESTIONS = 5


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = build_cluster(tmp_path_factory.mktemp("multinode"))
    try:
        cluster.start_node("node-a")
        cluster.start_node("node-b")
        cluster.start_worker()
        yield cluster
    finally:
        cluster.stop()


def any_answer(view: dict) -> dict:
    """A well-formed answer, right or wrong, built from what the student sees."""
    match view["kind"]:
        case "flashcard":
            return {"rating": 3}
        case "multiple_choice":
            return {"answer": {"choices": [view["choices"][0]["id"]]}}
        case "true_false":
            return {"answer": {"value": True}}
        case "short_answer":
            return {"answer": {"text": "Harriman"}}
        case "numerical":
            return {"answer": {"value": 1968}}
        case "cloze":
            return {"answer": {"gaps": {str(gap): "Paris" for gap in view.get("gaps", [1])}}}
        case "matching":
            sides = zip(view["left"], view["right"], strict=True)
            return {"answer": {"pairs": {str(left["id"]): right["id"] for left, right in sides}}}
        case "ordering":
            return {"answer": {"order": [item["id"] for item in view["items"]]}}
    raise ValueError(view["kind"])


def study(
    urls: list[str], token: str, *, seconds: float, acknowledged: list, refused: list, lock
) -> None:
    """One student answering as fast as the nodes allow, each step on the next node."""
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + seconds
    for url in itertools.cycle(urls):
        if time.monotonic() > deadline:
            return
        try:
            queue = requests.get(f"{url}/api/v1/study/queue/?limit=1", headers=headers, timeout=10)
            items = queue.json()["results"] if queue.status_code == 200 else []
            if not items:
                continue
            view = items[0]["question"]
            client_id = uuid.uuid4().hex
            payload = {"client_id": client_id, "question": view["id"], "response_ms": 3000}
            reply = requests.post(
                f"{url}/api/v1/reviews/",
                json={**payload, **any_answer(view)},
                headers=headers,
                timeout=10,
            )
        except requests.RequestException:
            continue  # a node that died mid-request acknowledged nothing
        with lock:
            if reply.status_code in (200, 201):
                acknowledged.append(client_id)
            else:
                refused.append((reply.status_code, reply.text[:300]))


def run_load(cluster, urls, *, seconds=LOAD_SECONDS, during=None) -> list[str]:
    acknowledged: list[str] = []
    refused: list[tuple[int, str]] = []
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=study,
            args=(urls[n % len(urls) :] + urls[: n % len(urls)], token),
            kwargs={
                "seconds": seconds,
                "acknowledged": acknowledged,
                "refused": refused,
                "lock": lock,
            },
        )
        for n, token in enumerate(cluster.tokens.values())
    ]
    for thread in threads:
        thread.start()
    if during is not None:
        during()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    # Every answer is well formed, so a node that answers refuses none of them.
    assert refused == []
    return acknowledged


def stored(cluster, client_ids: list[str]) -> set[str]:
    rows = cluster.sql(
        "SELECT client_id FROM questions_review WHERE client_id = ANY(%s)", client_ids
    )
    return {row[0] for row in rows}


def web_login(url: str, username: str, password: str) -> dict[str, str]:
    """Sign in on the login page; the cookies, sent by hand (they are Secure, this is http)."""
    page = requests.get(f"{url}/login/", timeout=10)
    assert page.status_code == 200, page.text[:500]
    cookies = dict(page.cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = requests.post(
        f"{url}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        cookies=cookies,
        headers={"Referer": f"{url}/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    return {**cookies, **dict(signed_in.cookies)}


def test_every_acknowledged_review_is_stored_with_load_on_both_nodes(cluster):
    urls = [node.url for node in cluster.nodes]

    acknowledged = run_load(cluster, urls)

    assert len(acknowledged) > 10
    assert len(set(acknowledged)) == len(acknowledged)
    assert stored(cluster, acknowledged) == set(acknowledged)
    both = cluster.sql("SELECT count(*) FROM questions_review")[0][0]
    assert both == len(acknowledged)


def test_a_session_started_on_one_node_is_valid_on_the_other(cluster):
    node_a, node_b = cluster.nodes[:2]
    cookies = web_login(node_a.url, "student", "quizsite-student")

    progress = requests.get(
        f"{node_b.url}/progress/", cookies=cookies, allow_redirects=False, timeout=10
    )

    assert progress.status_code == 200
    assert "Progress" in progress.text


def import_on_the_web(cluster, url: str, gift: bytes, filename: str) -> str:
    cookies = web_login(url, "teacher", "quizsite-teacher")
    page = requests.get(f"{url}/teach/sets/import/", cookies=cookies, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    queued = requests.post(
        f"{url}/teach/sets/import/",
        data={"csrfmiddlewaretoken": token, "format": ""},
        files={"file": (filename, gift)},
        cookies=cookies,
        headers={"Referer": f"{url}/teach/sets/import/"},
        allow_redirects=False,
        timeout=30,
    )
    assert queued.status_code == 302, queued.text[:2000]
    assert "/teach/jobs/" in queued.headers["Location"]
    return queued.headers["Location"], cookies


def wait_for_job(cluster, url: str, location: str, cookies, timeout_s: float = 90) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page = requests.get(
            f"{url}{location}", cookies=cookies, headers={"HX-Request": "true"}, timeout=10
        )
        status = re.search(r'data-status="(\w+)"', page.text).group(1)
        if status in ("done", "failed"):
            return page.text
        time.sleep(0.3)
    raise AssertionError(f"the job did not finish:\n{cluster.log_tail('worker')}")


def gift_file(title: str, questions: int) -> bytes:
    lines = [f"$CATEGORY: {title}", ""]
    lines += [f"::q{n}:: What is {n} plus one? {{#{n + 1}}}\n" for n in range(questions)]
    return "\n".join(lines).encode()


def test_an_import_queued_on_the_web_is_run_by_the_worker_and_its_result_shown(cluster):
    url = cluster.nodes[1].url
    location, cookies = import_on_the_web(
        cluster, url, gift_file("Worker import", GIFT_QUESTIONS), "worker.gift"
    )

    page = wait_for_job(cluster, url, location, cookies)

    assert 'data-status="done"' in page
    assert f"{GIFT_QUESTIONS} new" in page or f"{GIFT_QUESTIONS} questions" in page, page
    job_id = location.rstrip("/").rsplit("/", 1)[1]
    assert cluster.sql("SELECT status, attempts FROM questions_job WHERE id = %s", job_id) == [
        ("done", 1)
    ]


def test_a_job_whose_worker_is_killed_mid_job_is_retried_with_no_double_effect(cluster):
    url = cluster.nodes[1].url
    questions = 3000
    location, cookies = import_on_the_web(
        cluster, url, gift_file("Killed import", questions), "killed.gift"
    )
    job_id = location.rstrip("/").rsplit("/", 1)[1]
    deadline = time.monotonic() + 60
    while cluster.sql("SELECT status FROM questions_job WHERE id = %s", job_id) != [("running",)]:
        assert time.monotonic() < deadline, cluster.log_tail("worker")
        time.sleep(0.05)
    for pid in children(cluster.worker.pid):
        os.kill(pid, signal.SIGKILL)

    page = wait_for_job(cluster, url, location, cookies, timeout_s=120)

    assert 'data-status="done"' in page
    status, attempts = cluster.sql(
        "SELECT status, attempts FROM questions_job WHERE id = %s", job_id
    )[0]
    assert (status, attempts) == ("done", 2)
    [(result,)] = cluster.sql("SELECT result FROM questions_job WHERE id = %s", job_id)
    title = result["set"]["title"]
    sets = cluster.sql("SELECT id FROM questions_questionset WHERE title = %s", title)
    assert len(sets) == 1
    count = cluster.sql(
        "SELECT count(*) FROM questions_question WHERE question_set_id = %s", sets[0][0]
    )[0][0]
    assert count == questions


def test_the_nightly_fit_runs_on_the_worker(cluster):
    from celery import Celery

    app = Celery(broker=cluster.env["QUIZSITE_BROKER_URL"])
    app.send_task("questions.tasks.fit_all_learners")
    deadline = time.monotonic() + 60
    while "have too few reviews" not in cluster.log_tail("worker", lines=200):
        assert time.monotonic() < deadline, cluster.log_tail("worker")
        time.sleep(0.3)


def test_login_throttling_counts_across_both_nodes(cluster):
    """Last but one: every request here comes from 127.0.0.1, which it leaves throttled."""
    node_a, node_b = cluster.nodes[:2]
    statuses = [
        requests.post(
            f"{url}/api/v1/auth/token/",
            json={"username": "nobody-at-all", "password": "wrong", "token_name": "x"},
            timeout=10,
        ).status_code
        for url in [node_a.url, node_b.url] * 12
    ]

    assert statuses.count(429) >= 14
    assert len(statuses) - statuses.count(429) <= 10


def test_killing_one_node_mid_load_loses_no_acknowledged_review(cluster):
    node_a, node_b = cluster.nodes[:2]
    before = cluster.sql("SELECT count(*) FROM questions_review")[0][0]

    def kill_node_a():
        time.sleep(LOAD_SECONDS / 3)
        node_a.kill()

    acknowledged = run_load(cluster, [node_a.url, node_b.url], during=kill_node_a)

    assert len(acknowledged) > 10
    assert stored(cluster, acknowledged) == set(acknowledged)
    after = cluster.sql("SELECT count(*) FROM questions_review")[0][0]
    # A request the node committed but could not answer is stored and not acknowledged.
    assert after - before >= len(acknowledged)
    assert requests.get(f"{node_b.url}/readyz", timeout=5).status_code == 200
    assert LOOPBACK in node_b.url
