"""Tests for nlp-01-1, WordPiece tokenization.

Reference: Hugging Face `tokenizers` (`models.WordPiece` built from the same vocabulary, with the
`WhitespaceSplit` pre-tokenizer and the `WordPiece` decoder), round trips on arbitrary Unicode, and
brute-force piece/pair counts for the training score.
"""
from collections import Counter

from hypothesis import example, given
from hypothesis import strategies as st
from tokenizers import Tokenizer, decoders, models, pre_tokenizers

from grader.testing import assert_close, assert_equal, describe_call

UNK = "[UNK]"
# Small alphabets so that random vocabularies match often; two have characters outside ASCII.
ALPHABETS = st.sampled_from(["ab", "abc", "xyz", "aé中🙂", "ßü"])
WHITESPACE = " \t\n"
BERT_VOCAB = {UNK: 0, "un": 1, "##want": 2, "##ed": 3, "want": 4, "##s": 5, "runn": 6, "##ing": 7, "u": 8,
              "##n": 9, "it": 10, "##a": 11}


@st.composite
def vocabularies(draw: st.DrawFn, alphabet: str) -> dict[str, int]:
    """UNK plus random word-initial and '##' continuation pieces, with shuffled ids."""
    pieces = draw(st.lists(st.text(alphabet=alphabet, min_size=1, max_size=4), max_size=20))
    marks = draw(st.lists(st.booleans(), min_size=len(pieces), max_size=len(pieces)))
    keys = list(dict.fromkeys([UNK] + [("##" + p if m else p) for p, m in zip(pieces, marks, strict=True)]))
    ids = draw(st.permutations(range(len(keys))))
    return dict(zip(keys, ids, strict=True))


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, int], str]:
    alphabet = draw(ALPHABETS)
    return draw(vocabularies(alphabet)), draw(st.text(alphabet=alphabet + WHITESPACE, max_size=30))


def hf_wordpiece(vocab: dict[str, int], max_chars: int = 100) -> Tokenizer:
    tok = Tokenizer(models.WordPiece(vocab, unk_token=UNK, max_input_chars_per_word=max_chars))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=False)
    return tok


def full_vocab(chars: str) -> dict[str, int]:
    """Every character as a word start and as a continuation: nothing is ever unknown."""
    keys = list(dict.fromkeys([UNK] + [c for c in chars] + ["##" + c for c in chars]))
    return {k: i for i, k in enumerate(keys)}


@given(case=cases(), max_chars=st.integers(1, 8))
@example(case=(BERT_VOCAB, "unwanted running wants"), max_chars=100)
@example(case=({UNK: 0, "a": 1, "ab": 2, "##c": 3, "##bc": 4}, "abc"), max_chars=100)  # longest first: ab ##c
@example(case=({UNK: 0, "ab": 1, "##c": 2}, "abx abc"), max_chars=100)  # no piece for x: the whole word is UNK
@example(case=({UNK: 0, "a": 1, "b": 2}, "ab"), max_chars=100)  # "b" exists, "##b" does not
@example(case=({UNK: 0, "a": 1}, " \t\n a\ta \n"), max_chars=100)  # tabs and newlines split words too
def test_tokenize_matches_hf_wordpiece(kata, case, max_chars):
    vocab, text = case
    call = describe_call("tokenize", text, vocab, max_chars=max_chars)
    want = hf_wordpiece(vocab, max_chars).encode(text).tokens
    got = kata.tokenize(text, vocab, max_chars=max_chars)
    assert list(got) == want, (
        f"{call} returned {list(got)}\n  tokenizers' WordPiece gives {want}\n  (greedy LONGEST match first, '##' "
        "on every piece after the first, the whole word becomes [UNK] when any position has no match)")


@given(case=cases(), max_chars=st.integers(1, 8))
@example(case=(BERT_VOCAB, "unwanted it wants xyz"), max_chars=100)
def test_encode_matches_hf_ids(kata, case, max_chars):
    vocab, text = case
    call = describe_call("encode", text, vocab, max_chars=max_chars)
    want = hf_wordpiece(vocab, max_chars).encode(text).ids
    got = kata.encode(text, vocab, max_chars=max_chars)
    assert_equal([int(i) for i in got], want, name="ids", call=call)


@given(chars=st.sampled_from(["é", "中", "🙂", "a"]), n=st.integers(1, 6), max_chars=st.integers(1, 6))
@example(chars="é", n=2, max_chars=2)  # 2 characters but 4 UTF-8 bytes: not too long
@example(chars="a", n=3, max_chars=2)  # one character too many
@example(chars="a", n=2, max_chars=2)  # exactly max_chars: still tokenized
def test_words_longer_than_max_chars_are_unk(kata, chars, n, max_chars):
    vocab = full_vocab("aé中🙂")
    word = chars * n
    call = describe_call("tokenize_word", word, "vocab of every character", max_chars=max_chars)
    want = hf_wordpiece(vocab, max_chars).encode(word).tokens
    got = kata.tokenize_word(word, vocab, max_chars=max_chars)
    assert list(got) == want, (f"{call} returned {list(got)}, tokenizers gives {want}: a word of {n} characters "
                               f"({len(word.encode())} UTF-8 bytes) is [UNK] exactly when n > max_chars")


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="#"), max_size=30))
@example(text="")
@example(text="  naïve   café\t中文 🙂\n")
@example(text="[UNK]")
def test_decode_round_trips_arbitrary_unicode(kata, text):
    """With every character in the vocabulary, decode(encode(text)) is the text with whitespace normalised."""
    vocab = full_vocab("".join(sorted(set("".join(text.split())))))
    ids = kata.encode(text, vocab)
    got = kata.decode(ids, vocab)
    want = " ".join(text.split())
    assert got == want, (f"decode(encode({text!r})) returned {got!r}, expected {want!r}: words joined by one space, "
                         "'##' pieces glued to the previous token without the prefix")


@given(case=cases())
@example(case=(BERT_VOCAB, "unwanted running it"))
def test_decode_matches_hf_decoder(kata, case):
    vocab, text = case
    hf = hf_wordpiece(vocab)
    ids = hf.encode(text).ids
    call = describe_call("decode", ids, vocab)
    want = hf.decode(ids, skip_special_tokens=False)
    got = kata.decode(ids, vocab)
    assert got == want, f"{call} returned {got!r}, tokenizers' WordPiece decoder gives {want!r}"


@st.composite
def training_states(draw: st.DrawFn) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Words with counts, each split into a random partition of its characters ('##' after the first)."""
    words = draw(st.lists(st.text(alphabet="abcd", min_size=1, max_size=6), min_size=1, max_size=8, unique=True))
    counts = {w: draw(st.integers(1, 9)) for w in words}
    splits = {}
    for w in words:
        cuts = sorted(draw(st.sets(st.integers(1, len(w) - 1), max_size=len(w) - 1))) if len(w) > 1 else []
        bounds = [0, *cuts, len(w)]
        pieces = [w[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        splits[w] = [pieces[0]] + ["##" + p for p in pieces[1:]]
    return counts, splits


@given(state=training_states())
@example(state=({"hug": 10, "pug": 5, "hugs": 5}, {"hug": ["h", "##u", "##g"], "pug": ["p", "##u", "##g"],
                                                  "hugs": ["h", "##u", "##g", "##s"]}))
def test_merge_scores_match_brute_force_counts(kata, state):
    counts, splits = state
    pieces, pairs = Counter(), Counter()
    for w, c in counts.items():
        for p in splits[w]:
            pieces[p] += c
        for i in range(len(splits[w]) - 1):
            pairs[(splits[w][i], splits[w][i + 1])] += c
    want = {pair: pairs[pair] / (pieces[pair[0]] * pieces[pair[1]]) for pair in pairs}
    call = describe_call("merge_scores", counts, splits)
    got = kata.merge_scores(counts, splits)
    assert set(got) == set(want), (f"{call} scored the pairs {sorted(got)}, expected exactly the adjacent pairs "
                                   f"{sorted(want)}")
    keys = sorted(want)
    # A ratio of small integer counts: a few ulps in float64.
    assert_close([got[k] for k in keys], [want[k] for k in keys], rtol=1e-12, atol=0,
                 name=f"scores of {keys}", call=call)


@given(case=cases(), prefix=st.sampled_from(["@@", "~", "##"]), unk=st.sampled_from(["<unk>", "[UNK]"]))
@example(case=({UNK: 0, "un": 1, "##want": 2}, "unwant x"), prefix="@@", unk="<unk>")
def test_prefix_and_unk_token_are_the_callers(kata, case, prefix, unk):
    """`prefix` and `unk_token` are parameters: every function uses the ones it is given."""
    vocab, text = case
    # The same vocabulary, with the '##' marks rewritten to `prefix` and UNK renamed.
    vocab = {(unk if k == UNK else prefix + k[2:] if k.startswith("##") else k): i for k, i in vocab.items()}
    hf = Tokenizer(models.WordPiece(vocab, unk_token=unk, continuing_subword_prefix=prefix))
    hf.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    hf.decoder = decoders.WordPiece(prefix=prefix, cleanup=False)
    enc = hf.encode(text)
    call = describe_call("tokenize", text, vocab, unk_token=unk, prefix=prefix)
    got = kata.tokenize(text, vocab, unk_token=unk, prefix=prefix)
    assert list(got) == enc.tokens, f"{call} returned {list(got)}, tokenizers' WordPiece gives {enc.tokens}"
    got_ids = kata.encode(text, vocab, unk_token=unk, prefix=prefix)
    assert_equal([int(i) for i in got_ids], enc.ids, name="ids",
                 call=describe_call("encode", text, vocab, unk_token=unk, prefix=prefix))
    want_text = hf.decode(enc.ids, skip_special_tokens=False)
    got_text = kata.decode(enc.ids, vocab, prefix=prefix)
    assert got_text == want_text, (f"{describe_call('decode', enc.ids, vocab, prefix=prefix)} returned "
                                   f"{got_text!r}, tokenizers' WordPiece decoder gives {want_text!r}")
    assert kata.tokenize_word("", vocab, unk_token=unk, prefix=prefix) == [], "tokenize_word('') must return []"
