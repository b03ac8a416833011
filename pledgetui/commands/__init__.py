"""Headless subcommands: each module offers ``parser(cls)`` and ``run(namespace) -> int``."""
