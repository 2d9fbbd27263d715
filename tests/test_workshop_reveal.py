"""The reveal's figures and the rule that no group split lets anyone read a person's vote."""

from hypothesis import given
from hypothesis import strategies as st

from scoring.workshop import MIN_GROUP, reveal, split

GROUPS = ["region", "kommun", "af", "bransch"]
VOTE = st.tuples(st.sampled_from(GROUPS), st.one_of(st.integers(0, 4), st.sampled_from(["na", "dk"])))


def test_a_revealed_indicator_in_exact_numbers():
    votes = [("region", 3), ("region", 3), ("region", 2), ("kommun", 1), ("kommun", 1), ("kommun", 2),
             ("af", 4), ("af", "dk"), ("bransch", "na")]
    shown = reveal(votes, 4, 0.5)
    assert (shown.voters, shown.counts, shown.not_applicable, shown.dont_know) == (9, (0, 2, 2, 2, 1), 1, 1)
    assert (shown.median, shown.low, shown.high) == (2.0, 1, 4)
    assert round(shown.agreement, 4) == 0.6132 and not shown.disagreement
    # af (2) and bransch (1) together are 3: pooled as "other groups"
    assert [(g.group, g.voters, g.counts) for g in shown.groups] == [
        ("kommun", 3, (0, 2, 1, 0, 0)), ("region", 3, (0, 0, 1, 2, 0)), (None, 3, (0, 0, 0, 0, 1))]


def test_a_small_leftover_pulls_the_smallest_shown_group_into_the_pool():
    votes = [("region", 1)] * 4 + [("kommun", 2)] * 3 + [("af", 3)] * 2
    assert [(g.group, g.voters) for g in split(votes, 4)] == [("region", 4), (None, 5)]


def test_no_split_when_it_would_say_nothing_or_too_much():
    assert split([("region", 1)] * 5, 4) == ()
    assert split([("region", 1), ("kommun", 2), ("af", 3)], 4) == ()


def test_strong_disagreement_is_flagged():
    shown = reveal([("region", 0), ("region", 0), ("kommun", 4), ("kommun", 4)], 4, 0.5)
    assert shown.agreement == 0.0 and shown.disagreement


@given(st.lists(VOTE, max_size=40))
def test_no_shown_group_is_small_and_the_rest_is_never_small(votes):
    groups = split(votes, 4)
    assert all(g.voters >= MIN_GROUP for g in groups)
    if groups:
        assert sum(g.voters for g in groups) == len(votes)
        assert sum(g.group is not None for g in groups) >= 1
    shown = reveal(votes, 4, 0.5)
    assert sum(shown.counts) + shown.not_applicable + shown.dont_know == len(votes)
