"""ogi: open government information annual reports, from report files to a data package."""

__version__ = "0.1.0"
