import os
import socket

import pytest

from bench.server import cpu_seconds, free_port, peak_memory_kib


def test_cpu_time_of_a_running_process_is_read_and_of_a_gone_one_is_zero():
    sum(range(2_000_000))  # some CPU time of our own to find
    assert cpu_seconds(os.getpid()) > 0
    assert peak_memory_kib(os.getpid()) > 0
    assert cpu_seconds(2**22 + 1) == 0.0
    assert peak_memory_kib(2**22 + 1) is None


def test_a_free_port_is_on_loopback_and_can_be_bound():
    port = free_port()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def test_ports_come_from_bench_ports_when_it_is_set(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    monkeypatch.setenv("BENCH_PORTS", f"{free}-{free}")
    assert free_port() == free


def test_a_bench_ports_range_with_no_free_port_is_refused(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        busy = taken.getsockname()[1]
        monkeypatch.setenv("BENCH_PORTS", f"{busy}-{busy}")
        with pytest.raises(RuntimeError, match="No free port in BENCH_PORTS"):
            free_port()
