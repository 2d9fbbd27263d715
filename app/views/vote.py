"""Rösta: the workshop participant's phone. No account — the seat from joining with the room code."""

from app.parts import vote
from app.session import database

vote.page(database())
