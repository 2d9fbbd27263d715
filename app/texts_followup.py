"""UI strings of the follow-up round: carried answers, reasons for changes and the review of the last plan."""

FOLLOWUP: dict[str, dict[str, str]] = {
}
