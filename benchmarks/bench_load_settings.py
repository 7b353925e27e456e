"""trygg's production settings with the load benchmark's peer addresses (bench_load_peer) served first."""

from trygg.settings import *  # noqa: F403

ROOT_URLCONF = "bench_load_peer"
