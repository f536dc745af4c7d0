"""The base layer: what every other layer may import (the project's exceptions and settings types).

It imports nothing from the project.
"""
