"""The scale-out figure: study steps/s with one gunicorn node, then with two nodes on the same
database behind a round-robin balancer (each request to the next node, as a load balancer does)."""

import itertools
import os
import threading

from bench.load import Client, run_closed_loop
from bench.server import GunicornServer


class RoundRobinClient:
    """Client's interface over several nodes: each request goes to the next one."""

    def __init__(self, clients: list[Client]):
        self._clients = itertools.cycle(clients)
        self._lock = threading.Lock()

    def request(self, *args, **kwargs):
        with self._lock:
            client = next(self._clients)
        return client.request(*args, **kwargs)


def measure_scale_out(*, server: GunicornServer, loop, students, scale, log_path) -> dict:
    """With twice the usual students at once, so that two nodes have enough to do."""
    concurrency = scale.concurrency * 2

    def steps_per_second(client) -> float:
        result = run_closed_loop(
            loop=loop,
            client=client,
            students=students,
            concurrency=concurrency,
            seconds=scale.load_seconds / 2,
            max_steps=scale.load_max_steps,
        )
        return result.steps_per_second

    one_node = steps_per_second(Client(port=server.port))
    with GunicornServer(log_path=log_path) as second:
        two_nodes = steps_per_second(
            RoundRobinClient([Client(port=server.port), Client(port=second.port)])
        )
    return {
        "concurrency": concurrency,
        "workers_per_node": server.workers,
        "cores": os.cpu_count(),
        "one_node_steps_per_second": one_node,
        "two_nodes_steps_per_second": two_nodes,
        "speed_up": two_nodes / one_node if one_node else float("nan"),
    }


def format_scale_out(figures: dict) -> str:
    return (
        f"Scale-out, {figures['concurrency']} students at once, {figures['workers_per_node']} "
        f"workers a node, {figures['cores']} cores: one node "
        f"{figures['one_node_steps_per_second']:.1f} steps/s, two nodes "
        f"{figures['two_nodes_steps_per_second']:.1f} steps/s (x{figures['speed_up']:.2f}). "
        "On one machine both nodes share its cores, so a second node adds workers, not CPU: "
        "the speed-up stays near 1 unless the workers were waiting on the database."
    )
