"""Projektorvy: what the room sees on the wall — the code and QR code, the indicator, "17 av 23 har röstat",
and after the reveal the distribution by stakeholder group. No names, large type, high contrast."""


from app.context import require
from app.parts import projector

ctx = require("workshop")
projector.page(ctx.db, ctx.who)
