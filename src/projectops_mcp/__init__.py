"""projectops-mcp: an MCP server for Teamwork.com and Projectworks."""

__version__ = "0.1.0"
