"""Tests for dsa-03-5, greedy longest-match tokenization over a trie.

References: Hugging Face tokenizers' WordPiece model behind a WhitespaceSplit pre-tokenizer (the
real BERT tokenizer's matching), with the same vocabulary, unknown token, continuation prefix and
max_input_chars_per_word; and a brute-force longest match over the vocabulary.
"""
from hypothesis import example, given
from hypothesis import strategies as st
from tokenizers import Tokenizer
from tokenizers.models import WordPiece
from tokenizers.pre_tokenizers import WhitespaceSplit

PIECES = st.text(alphabet="abc", min_size=1, max_size=3)


def hf_tokens(vocab: list, text: str, unk: str, prefix: str, max_chars: int) -> list:
    ids = {w: i for i, w in enumerate(dict.fromkeys([unk, *vocab]))}
    tok = Tokenizer(WordPiece(ids, unk_token=unk, continuing_subword_prefix=prefix, max_input_chars_per_word=max_chars))
    tok.pre_tokenizer = WhitespaceSplit()
    return tok.encode(text).tokens


def make_vocab(starts: list, conts: list, prefix: str) -> list:
    return sorted(set(starts) | {prefix + c for c in conts})


@given(starts=st.lists(PIECES, max_size=8), conts=st.lists(PIECES, max_size=8),
       words=st.lists(st.text(alphabet="abc", min_size=1, max_size=7), max_size=4))
@example(starts=["a", "ab"], conts=["bc"], words=["abc"])  # greedy takes "ab", then no "##c": [UNK] (not a + ##bc)
@example(starts=["ab"], conts=["ab"], words=["abab", "ab"])
@example(starts=["a"], conts=["a"], words=["aaab"])  # one miss makes the WHOLE word unknown
@example(starts=["b"], conts=["a"], words=["ba", "a"])  # "a" is only a continuation piece
def test_tokenize_matches_hf_wordpiece(kata, starts, conts, words):
    vocab = make_vocab(starts, conts, "##")
    trie = kata.VocabTrie(vocab)
    text = "  ".join(words) + " \n"
    got, want = kata.tokenize(text, trie), hf_tokens(vocab, text, "[UNK]", "##", 100)
    assert list(got) == want, f"tokenize({text!r}) with vocab {vocab} = {got}, expected {want} (tokenizers WordPiece)"


@given(starts=st.lists(PIECES, max_size=8), conts=st.lists(PIECES, max_size=8),
       words=st.lists(st.text(alphabet="abc", min_size=1, max_size=7), max_size=4),
       prefix=st.sampled_from(["##", "@@", "_"]), unk=st.sampled_from(["[UNK]", "<unk>"]), max_chars=st.integers(1, 6))
@example(starts=["a"], conts=["a"], words=["aaa"], prefix="##", unk="[UNK]", max_chars=3)  # exactly max_chars: allowed
@example(starts=["a"], conts=["a"], words=["aaaa"], prefix="@@", unk="<unk>", max_chars=3)  # one more: unknown
def test_parameters_match_hf_wordpiece(kata, starts, conts, words, prefix, unk, max_chars):
    vocab = make_vocab(starts, conts, prefix)
    trie = kata.VocabTrie(vocab)
    text = " ".join(words)
    got = kata.tokenize(text, trie, unk_token=unk, prefix=prefix, max_chars=max_chars)
    want = hf_tokens(vocab, text, unk, prefix, max_chars)
    assert list(got) == want, (f"tokenize({text!r}, unk_token={unk!r}, prefix={prefix!r}, max_chars={max_chars}) with vocab "
                               f"{vocab} = {got}, expected {want}")
    for word in words:
        got = kata.wordpiece(word, trie, unk_token=unk, prefix=prefix, max_chars=max_chars)
        want = hf_tokens(vocab, word, unk, prefix, max_chars)
        assert list(got) == want, f"wordpiece({word!r}, unk_token={unk!r}, prefix={prefix!r}, max_chars={max_chars}) = {got}, expected {want}"


@given(vocab=st.lists(st.text(alphabet="ab#", min_size=1, max_size=5), max_size=10),
       text=st.text(alphabet="ab", max_size=8), data=st.data(), prefix=st.sampled_from(["", "#", "##"]))
@example(vocab=["a", "ab", "abab"], text="ababa", data=None, prefix="")  # longest, not first: 4 (skipping the non-entry "aba")
@example(vocab=["##a"], text="a", data=None, prefix="")  # "a" itself is not an entry
def test_longest_match_brute_force(kata, vocab, text, data, prefix):
    trie = kata.VocabTrie(vocab)
    starts = range(len(text) + 1) if data is None else [data.draw(st.integers(0, len(text)), label="start")]
    for start in starts:
        got = trie.longest_match(text, start, prefix=prefix) if prefix else trie.longest_match(text, start)
        want = max((k for k in range(1, len(text) - start + 1) if prefix + text[start:start + k] in vocab), default=0)
        assert got == want, f"VocabTrie({vocab}).longest_match({text!r}, {start}, prefix={prefix!r}) = {got}, expected {want}"
