"""policykg: a knowledge graph and semantic search for Chinese government policy documents."""

__version__ = "0.1.0"
