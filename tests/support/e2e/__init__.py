"""End-to-end support: a virtual environment with the official server SDK and the workflow apps it serves."""
