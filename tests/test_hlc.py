"""The hybrid logical clock orders edits without trusting the laptops' clocks."""

from __future__ import annotations

import itertools
import random

import pytest

from chapterdesk.hlc import MAX_COUNTER, HybridLogicalClock, Timestamp

T0 = 1_780_000_000_000  # some millisecond in 2026


class FakeWall:
    """A wall clock the test sets by hand."""

    def __init__(self, ms: int = T0) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_frozen_clock_still_increases() -> None:
    clock = HybridLogicalClock("laptopA", FakeWall())
    stamps = [clock.now() for _ in range(1000)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)
    assert all(stamp.wall_ms == T0 for stamp in stamps)
    assert [stamp.counter for stamp in stamps[:3]] == [0, 1, 2]


def test_clock_going_backwards_still_increases() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("laptopA", wall)
    before = clock.now()
    wall.ms = T0 - 60 * 60 * 1000  # the user sets the clock back an hour
    after = [clock.now() for _ in range(10)]
    assert all(stamp > before for stamp in after)
    assert after == sorted(after)
    wall.ms = T0 + 5
    later = clock.now()
    assert later > after[-1]
    assert (later.wall_ms, later.counter) == (T0 + 5, 0)


def test_wall_clock_moving_on_resets_the_counter() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("laptopA", wall)
    clock.now()
    clock.now()
    wall.ms += 1
    assert clock.now() == Timestamp(T0 + 1, 0, "laptopA")


def test_observe_a_far_future_stamp_moves_ahead_of_it() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("laptopA", wall)
    clock.now()
    remote = Timestamp(T0 + 10 * 24 * 3600 * 1000, 7, "laptopB")
    seen = clock.observe(remote)
    assert seen > remote
    assert (seen.wall_ms, seen.counter, seen.device) == (remote.wall_ms, 8, "laptopA")
    mine = clock.now()
    assert mine > remote
    assert mine > seen


def test_observe_an_old_stamp_keeps_our_time() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("laptopA", wall)
    last = clock.now()
    seen = clock.observe(Timestamp(T0 - 1000, 99, "laptopB"))
    assert seen > last
    assert seen.wall_ms == T0


def test_observe_same_millisecond_takes_the_higher_counter() -> None:
    wall = FakeWall()
    clock = HybridLogicalClock("laptopA", wall)
    clock.now()  # (T0, 0)
    seen = clock.observe(Timestamp(T0, 41, "laptopB"))
    assert (seen.wall_ms, seen.counter) == (T0, 42)


def test_two_laptops_exchanging_stamps_agree_on_order() -> None:
    """Whatever their clocks say, a stamp made after seeing another sorts after it."""
    rng = random.Random(5)
    walls = {"laptopA": FakeWall(T0), "laptopB": FakeWall(T0 - 50_000)}
    clocks = {name: HybridLogicalClock(name, wall) for name, wall in walls.items()}
    last_seen: Timestamp | None = None
    for _ in range(500):
        name = rng.choice(sorted(clocks))
        walls[name].ms += rng.randint(-20, 20)
        clock = clocks[name]
        if last_seen is not None:
            clock.observe(last_seen)
        stamp = clock.now()
        if last_seen is not None:
            assert stamp > last_seen
        last_seen = stamp


def test_encode_decode_round_trip() -> None:
    rng = random.Random(1)
    for _ in range(500):
        stamp = Timestamp(
            rng.randint(0, 10**13 - 1),
            rng.randint(0, MAX_COUNTER),
            rng.choice(["a", "laptopA", "0f3e9c2b7a", "x" * 32]),
        )
        text = stamp.encode()
        assert Timestamp.decode(text) == stamp
        assert len(text) == 13 + 1 + 5 + 1 + len(stamp.device)


def test_text_order_is_clock_order() -> None:
    rng = random.Random(2)
    devices = ["a", "b", "ab", "laptopA", "laptopB", "z9"]
    stamps = [
        Timestamp(
            rng.choice([0, 1, 9, 10, T0, T0 + 1, 10**13 - 1]),
            rng.choice([0, 1, 9, 10, 99, 100, MAX_COUNTER]),
            rng.choice(devices),
        )
        for _ in range(400)
    ]
    by_clock = sorted(stamps)
    by_text = sorted(stamps, key=Timestamp.encode)
    assert by_text == by_clock
    for left, right in itertools.pairwise(stamps):
        assert (left < right) == (left.encode() < right.encode())


@pytest.mark.parametrize(
    "text",
    ["", "nonsense", "123-00001-dev", "1780000000000-1-dev", "1780000000000-00001-"],
)
def test_decode_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError):
        Timestamp.decode(text)


def test_counter_overflow_borrows_the_next_millisecond() -> None:
    clock = HybridLogicalClock("laptopA", FakeWall())
    stamps = [clock.now() for _ in range(MAX_COUNTER + 3)]
    assert stamps[MAX_COUNTER] == Timestamp(T0, MAX_COUNTER, "laptopA")
    assert stamps[MAX_COUNTER + 1] == Timestamp(T0 + 1, 0, "laptopA")
    assert stamps[MAX_COUNTER + 2] == Timestamp(T0 + 1, 1, "laptopA")
    assert all(a < b for a, b in itertools.pairwise(stamps))
    assert all(len(s.encode()) == len(stamps[0].encode()) for s in stamps)


def test_observing_a_full_counter_borrows_the_next_millisecond() -> None:
    clock = HybridLogicalClock("laptopA", FakeWall())
    remote = Timestamp(T0, MAX_COUNTER, "laptopB")
    seen = clock.observe(remote)
    assert seen == Timestamp(T0 + 1, 0, "laptopA")
    assert seen > remote


@pytest.mark.parametrize("device", ["laptop-A", "-", "", "a-b-c"])
def test_device_ids_with_dashes_or_empty_are_rejected(device: str) -> None:
    with pytest.raises(ValueError):
        HybridLogicalClock(device)


def test_default_wall_clock_is_milliseconds() -> None:
    import time

    before = time.time_ns() // 1_000_000
    stamp = HybridLogicalClock("laptopA").now()
    after = time.time_ns() // 1_000_000
    assert before <= stamp.wall_ms <= after
