"""Reasoning: HermiT classification, realisation at scale, and the packaged entailment graph."""
