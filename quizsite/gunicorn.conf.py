"""gunicorn settings for quizsite nodes: `gunicorn quizsite.wsgi -c quizsite/gunicorn.conf.py`.

With PROMETHEUS_MULTIPROC_DIR set (an empty folder per node), each worker writes its metrics
there and /metrics adds them up; a worker that exits is marked dead so its gauges drop out."""

import os


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
