from bench.scale_out import RoundRobinClient, format_scale_out


class Recorder:
    def __init__(self, name: str, calls: list):
        self.name, self.calls = name, calls

    def request(self, method, path, **kwargs):
        self.calls.append(self.name)
        return self.name


def test_a_round_robin_client_sends_each_request_to_the_next_node():
    calls: list[str] = []
    client = RoundRobinClient([Recorder("a", calls), Recorder("b", calls)])

    replies = [client.request("GET", "/") for _ in range(5)]

    assert replies == ["a", "b", "a", "b", "a"]


def test_the_scale_out_line_gives_both_rates_and_the_speed_up():
    line = format_scale_out(
        {
            "concurrency": 8,
            "workers_per_node": 2,
            "cores": 2,
            "one_node_steps_per_second": 40.0,
            "two_nodes_steps_per_second": 44.0,
            "speed_up": 1.1,
        }
    )

    assert "one node 40.0 steps/s, two nodes 44.0 steps/s (x1.10)" in line
