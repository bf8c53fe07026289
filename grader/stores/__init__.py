"""What is kept between runs: progress.toml, recording a session into it, the shipped fingerprints."""
