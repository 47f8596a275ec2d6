import os
import socket

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
