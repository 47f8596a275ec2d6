"""What lets quizsite run on several machines: health checks for the load balancer, request ids
in structured logs, and Prometheus metrics."""
