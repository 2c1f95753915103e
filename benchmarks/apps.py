from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Scale and speed: the synthetic province (`seed_scale`) and the benchmark (`bench`). No models."""

    name = "benchmarks"
    verbose_name = "性能测试"
