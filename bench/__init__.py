"""The benchmark harness behind `make bench` (README: Benchmark)."""
