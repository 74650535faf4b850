"""The knowledge base: every contact of the source document, as validated immutable data."""

from bot.knowledge.loader import KnowledgeError, Problem, packaged_root, load_knowledge, summarize
from bot.knowledge.model import Contact, Knowledge, Phone

__all__ = ["Contact", "Knowledge", "KnowledgeError", "Phone", "Problem", "packaged_root", "load_knowledge", "summarize"]
