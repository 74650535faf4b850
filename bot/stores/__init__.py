"""Stores shared by several replicas (Redis). The embedded defaults live with their interfaces (in memory)."""
