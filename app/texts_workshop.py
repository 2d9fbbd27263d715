"""UI strings of the workshop: the facilitator's console, the projector and the participant's phone."""

WORKSHOP: dict[str, dict[str, str]] = {
}
