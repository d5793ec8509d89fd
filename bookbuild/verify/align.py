"""Align the manuscript's words with an output's: patience anchors, then a word-by-word walk.

The output may insert words anywhere (headings, note numbers, running heads, a contents
page); what it leaves out of the manuscript's words is reported.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

RESYNC = 8  # words after a candidate match that must mostly follow it for it to be the place to go on
SLACK = 8  # words the output may insert among them (a note number, a page's running head)
MAX_CANDIDATES = 400  # places a word may be looked for after the first match (a contents page is before)
MAX_REPORTED = 200
EXACT_CELLS = 200_000  # a stretch this small (words x words) is aligned exactly
BANDED_CELLS = 2_000_000  # a longer one near the diagonal, up to this many cells


class _Positions:
    """Where each word occurs in the output, for finding the place to go on from after a gap."""

    def __init__(
        self,
        actual: list[str],
        allowance: list[int] | None = None,
        neutral: frozenset[str] = frozenset(),
        numbered: bool = False,
    ) -> None:
        self.actual = actual
        self.neutral = neutral
        self.numbered = numbered
        # Per expected word: words set aside just before it, which the output may show there.
        self.allowance = allowance
        self.at: dict[str, list[int]] = defaultdict(list)
        for index, word in enumerate(actual):
            self.at[word].append(index)
            # A footnote's number printed against its word ("the1", "01") is found under the
            # word too; a number's own digits cannot be told from the footnote's, so every
            # shorter number it starts with counts.
            if numbered and word[-1:].isdigit():
                stem = word.rstrip("0123456789")
                stems = [stem] if stem else [word[:length] for length in range(1, len(word))]
                for part in stems:
                    self.at[part].append(index)

    def follows(self, expected: list[str], start: int, position: int) -> bool:
        """Whether most words after ``start`` follow ``position`` closely, as they would in place.

        "Most": a few may be missing there for good reason (a marker turned into a scene
        break, a note moved away), so a common subsequence of three fifths is enough.
        """
        # A word the output has nowhere (moved, or lost) and a label that may vanish neither
        # confirm nor refute the place; one the output has only before it refutes it.
        following = [w for w in expected[start + 1 : start + 1 + RESYNC] if w in self.at and w not in self.neutral]
        wanted = [w for w in following if self.at[w][-1] > position]
        extra = sum(self.allowance[start + 1 : start + 1 + RESYNC]) if self.allowance else 0
        window = self.actual[position + 1 : position + 1 + len(wanted) + SLACK + extra]
        return _common(wanted, window, self.numbered) * 5 >= len(following) * 3

    def resync(self, expected: list[str], start: int, position: int, anywhere: bool, limit: int) -> int | None:
        """The first output position in [position, limit) where ``expected[start:]`` carries on."""
        places = self.at.get(expected[start], [])
        first = bisect.bisect_left(places, position)
        last = bisect.bisect_left(places, limit)
        last = last if anywhere else min(last, first + MAX_CANDIDATES)
        for candidate in places[first:last]:
            if self.follows(expected, start, candidate) or self.just_after(expected, start, candidate, position):
                return candidate
        return None

    def assemble(self, word: str, position: int) -> int | None:
        """Where ``word`` ends if it starts at ``position`` in pieces (a few words may come between).

        A PDF's text layer splits a word hyphenated across pages (the running head between the
        halves) and a word whose letters come from two fonts ("0 և").
        """
        if position >= len(self.actual) or self.actual[position] == word or not word.startswith(self.actual[position]):
            return None
        rest, cursor = word[len(self.actual[position]) :], position + 1
        while rest:
            for index in range(cursor, min(cursor + SLACK + 1, len(self.actual))):
                if rest.startswith(self.actual[index]):
                    rest, cursor = rest[len(self.actual[index]) :], index + 1
                    break
            else:
                return None
        return cursor

    def resync_in_pieces(self, expected: list[str], start: int, position: int, anywhere: bool, limit: int) -> int | None:
        """Like :meth:`resync` for a word that arrives in pieces; returns where it ends."""
        word = expected[start]
        for length in range(1, len(word)):
            places = self.at.get(word[:length], [])
            first = bisect.bisect_left(places, position)
            last = bisect.bisect_left(places, limit)
            last = last if anywhere else min(last, first + MAX_CANDIDATES)
            for candidate in places[first:last]:
                end = self.assemble(word, candidate)
                if end is None:
                    end = self._swapped(word, length, candidate)
                if end is not None and (self.follows(expected, start, end - 1) or end - position <= SLACK):
                    return end
        return None

    def _swapped(self, word: str, length: int, position: int) -> int | None:
        """Where ``word`` ends if its number and its right-to-left letters stand the other way
        round on the page ("0" then "ݐ" for "ݐ0", "ݐ" then "0" for "0ݐ"): the text layer gives
        the pieces as they are drawn, and which one is drawn first depends on the bidi levels."""
        head, tail = word[:length], word[length:]
        if not (head.isdigit() or tail.isdigit()) or self.actual[position] != head or position < 1:
            return None
        return position + 1 if self.actual[position - 1] == tail else None

    def just_after(self, expected: list[str], start: int, candidate: int, position: int) -> bool:
        """A few words inserted right here (a note number, a heading) and the next word agrees.

        This keeps the place when what follows is itself missing, so a loss is reported
        where it is and not as a tail of innocent words before it.
        """
        if candidate - position > SLACK + (self.allowance[start] if self.allowance else 0):
            return False
        if expected[start] in self.neutral:
            return False  # a label is no evidence of place; it may have gone with its note
        following = start + 1
        return following >= len(expected) or (
            candidate + 1 < len(self.actual) and self.actual[candidate + 1] == expected[following]
        )


def _common(a: list[str], b: list[str], numbered: bool = False) -> int:
    """Length of the longest common subsequence of two short word lists (with ``numbered``,
    a word also matches itself with a footnote's number printed against it)."""
    row = [0] * (len(b) + 1)
    for word in a:
        previous_diagonal = 0
        for index, other in enumerate(b, start=1):
            above = row[index]
            same = word == other or (numbered and other.startswith(word) and other[len(word) :].isdigit())
            row[index] = previous_diagonal + 1 if same else max(row[index], row[index - 1])
            previous_diagonal = above
    return row[-1]


def unmatched(
    expected: list[str],
    actual: list[str],
    split_words: bool = False,
    allowance: list[int] | None = None,
    neutral: frozenset[str] = frozenset(),
) -> list[int]:
    """Indexes of expected words not found, in order, in the output (which may insert words).

    Words that occur once on each side anchor the alignment (as patience diff does), so a
    note moved to the end or a repeated word cannot pull the rest out of place; the stretches
    between anchors are walked word by word. With ``split_words`` a word may arrive in pieces
    a few words apart (see ``_Positions.assemble``). ``allowance`` gives, per expected word,
    how many words were set aside just before it (the output may show them there);
    ``neutral`` words (labels that may vanish) count neither for nor against a place.
    """
    positions = _Positions(actual, allowance, neutral, numbered=split_words)
    missing: list[int] = []
    for r0, r1, a0, a1 in _gaps(expected, actual):
        band = _band(r1 - r0, a1 - a0) if not split_words else None
        if band is not None:
            missing.extend(_exact(expected, r0, r1, actual, a0, a1, neutral, band))
        else:
            missing.extend(_walk(positions, expected, r0, r1, a0, a1, split_words))
        if len(missing) > MAX_REPORTED:
            break
    return sorted(missing)


def _anchors(expected: list[str], r0: int, r1: int, actual: list[str], a0: int, a1: int) -> list[tuple[int, int]]:
    """Pairs of positions of words found exactly once in each slice, the longest run in order."""
    once_expected = _once(expected, r0, r1)
    once_actual = _once(actual, a0, a1)
    # A pair counts only with a neighbour that agrees too: a word found once on each side
    # may still be two different occurrences (the title page's "A", a note's word).
    pairs = sorted(
        (i, j)
        for w, i in once_expected.items()
        if (j := once_actual.get(w)) is not None
        and (
            (i + 1 < r1 and j + 1 < a1 and expected[i + 1] == actual[j + 1])
            or (i > r0 and j > a0 and expected[i - 1] == actual[j - 1])
        )
    )
    # Longest increasing subsequence of the output positions (patience sorting).
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for index, (_i, j) in enumerate(pairs):
        place = bisect.bisect_left(tails, j)
        if place == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[place] = j
            tail_index[place] = index
        previous[index] = tail_index[place - 1] if place else -1
    chain: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]


def _once(words_: list[str], start: int, end: int) -> dict[str, int]:
    seen: dict[str, int] = {}
    repeated: set[str] = set()
    for index in range(start, end):
        word = words_[index]
        if word in seen:
            repeated.add(word)
        else:
            seen[word] = index
    return {w: i for w, i in seen.items() if w not in repeated}


def _trim(expected: list[str], r0: int, r1: int, a0: int, a1: int, actual: list[str]) -> tuple[int, int, int, int]:
    """The stretch without the words both sides open and close with alike.

    Those words match as they stand in any best alignment, and in a book nearly every stretch
    is one long run of them, so the anchor search is spared the text that came through whole.
    """
    while r0 < r1 and a0 < a1 and expected[r0] == actual[a0]:
        r0 += 1
        a0 += 1
    while r1 > r0 and a1 > a0 and expected[r1 - 1] == actual[a1 - 1]:
        r1 -= 1
        a1 -= 1
    return r0, r1, a0, a1


def _gaps(expected: list[str], actual: list[str]):
    """The stretches (r0, r1, a0, a1) left between anchors, found again inside each stretch."""
    stack = [(0, len(expected), 0, len(actual))]
    while stack:
        r0, r1, a0, a1 = _trim(expected, *stack.pop(), actual)
        if r0 >= r1:
            continue
        anchors = _anchors(expected, r0, r1, actual, a0, a1) if a0 < a1 else []
        if not anchors:
            yield r0, r1, a0, a1
            continue
        bounds = [(r0 - 1, a0 - 1), *anchors, (r1, a1)]
        for (ri, ai), (rj, aj) in zip(bounds[-2::-1], bounds[:0:-1], strict=True):
            stack.append((ri + 1, rj, ai + 1, aj))


def _band(rows: int, cols: int) -> tuple[int, int] | None:
    """The diagonals (j - i) an exact alignment of a stretch searches, or None if too costly.

    A small stretch is searched whole; a long one only near the diagonal, widened by how much
    longer one side is, since the output inserts a few words at a time.
    """
    if rows * cols <= EXACT_CELLS:
        return -rows, cols
    low, high = min(0, cols - rows) - 2 * SLACK, max(0, cols - rows) + 2 * SLACK
    return (low, high) if rows * (high - low + 1) <= BANDED_CELLS else None


def _exact(expected: list[str], r0: int, r1: int, actual: list[str], a0: int, a1: int, neutral: frozenset[str], band: tuple[int, int]) -> list[int]:
    """The expected words a best alignment of a stretch leaves out (a weighted longest common
    subsequence: a label counts less, so a real word is never given up for one)."""
    rows, cols = r1 - r0, a1 - a0
    low, high = band
    width = high - low + 1
    # score[i][k] is the best for expected[:i] against actual[:j] with j = i + low + k.
    score = [[0] * width for _ in range(rows + 1)]

    def get(i: int, j: int) -> int:
        """The score at (i, j); -1 outside the band, which no path may cross."""
        k = j - i - low
        if j == 0:
            return 0
        if j < 0 or j > cols or not 0 <= k < width:
            return -1
        return score[i][k]

    for i in range(1, rows + 1):
        word = expected[r0 + i - 1]
        weight = 1 if word in neutral else 2
        row = score[i]
        for k in range(width):
            j = i + low + k
            if j < 0 or j > cols:
                continue
            if j == 0:
                continue  # nothing of the output yet: nothing matched (the row starts at 0)
            best = max(get(i - 1, j), row[k - 1] if k > 0 else -1)
            if actual[a0 + j - 1] == word:
                diagonal = get(i - 1, j - 1)
                if diagonal >= 0:
                    best = max(best, diagonal + weight)
            row[k] = best
    missing: list[int] = []
    i, j = rows, cols
    while i > 0:
        word = expected[r0 + i - 1]
        weight = 1 if word in neutral else 2
        here = get(i, j)
        if j > 0 and actual[a0 + j - 1] == word and get(i - 1, j - 1) >= 0 and here == get(i - 1, j - 1) + weight:
            i, j = i - 1, j - 1
        elif j > 0 and get(i, j - 1) == here:
            j -= 1
        else:
            missing.append(r0 + i - 1)
            i -= 1
    return missing[::-1]


def _walk(positions: _Positions, expected: list[str], r0: int, r1: int, a0: int, a1: int, split_words: bool) -> list[int]:
    """Walk one stretch between anchors word by word; returns the expected words not found."""
    actual = positions.actual
    missing: list[int] = []
    i, j = r0, a0
    matched_any = False
    while i < r1:
        word = expected[i]
        if j < a1 and actual[j] == word:
            i, j, matched_any = i + 1, j + 1, True
            continue
        if split_words and j < a1 and actual[j].startswith(word) and actual[j][len(word) :].isdigit():
            i, j, matched_any = i + 1, j + 1, True  # a footnote's number printed against the word
            continue
        if split_words and j + 1 < a1 and (
            word in (actual[j + 1] + actual[j], actual[j] + actual[j + 1])
            or (i + 1 < r1 and actual[j] == expected[i + 1] and actual[j + 1] == word)
        ):
            # Right-to-left text beside a number: the text layer may give the two in the
            # order they stand on the page ("0 א" for "א0", "5 שלום" for "שלום 5"), or split
            # one word where the number touches the letters.
            swapped = word not in (actual[j + 1] + actual[j], actual[j] + actual[j + 1])
            i, j, matched_any = i + 1 + swapped, j + 2, True
            continue
        end = positions.assemble(word, j) if split_words and j < a1 else None
        if end is not None:
            i, j, matched_any = i + 1, end, True
            continue
        found = positions.resync(expected, i, j, anywhere=not matched_any, limit=a1)
        end = positions.resync_in_pieces(expected, i, j, not matched_any, a1) if found is None and split_words else None
        if end is not None:
            i, j, matched_any = i + 1, end, True
        elif found is None:
            missing.append(i)
            if len(missing) > MAX_REPORTED:
                return missing + list(range(i + 1, r1))
            i += 1
        else:
            j, matched_any = found, True
    return missing
