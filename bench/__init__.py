"""The benchmark suite: `make bench` measures the hot paths and prints one markdown table
of each figure against its floor and target (docs/performance.md)."""
