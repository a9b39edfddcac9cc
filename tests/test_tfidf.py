"""graphnews' own TF-IDF (no scikit-learn at run time) gives scikit-learn's vectors, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings, strategies as st

import graphnews
from graphnews.analysis.similarity import Vectorizer, article_text, headline_text, text_model
from graphnews.analysis.stopwords import ENGLISH_STOP_WORDS
from graphnews.build import build_graph

text_module = pytest.importorskip("sklearn.feature_extraction.text")
NGRAMS = [(1, 1), (1, 2), (2, 2), (1, 3)]
WORDS = ["Dockers", "strike", "the", "Terminal", "3", "Café", "ZÜRICH", "naïve", "ﬁnal", "İstanbul", "of", "rota",
         "x", "déjà-vu", "Port_Alder", "2031", "vote", "and", "Señor", "ǅemal", "\n", "—", "it's"]


def reference(ngram_range: tuple[int, int]) -> object:
    """scikit-learn's TfidfVectorizer with the settings graphnews documents."""
    return text_module.TfidfVectorizer(sublinear_tf=True, stop_words="english", strip_accents="unicode",
                                       ngram_range=ngram_range, lowercase=True, dtype=np.float32,
                                       token_pattern=r"(?u)\b[^\W\d_]\w+\b")


def assert_bitwise_equal(texts: list[str], ngram_range: tuple[int, int]) -> sp.csr_matrix:
    """Both vectorizers fit ``texts``: same terms, same CSR arrays (float32 bits and storage order)."""
    theirs, ours = reference(ngram_range), Vectorizer(ngram_range)
    try:
        expected = theirs.fit_transform(texts)
    except ValueError:
        with pytest.raises(ValueError):
            ours.fit_transform(texts)
        return sp.csr_matrix((len(texts), 0))
    got = ours.fit_transform(texts)
    assert got.dtype == np.float32 and got.shape == expected.shape
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    assert got.indptr.tolist() == expected.indptr.tolist()
    assert got.indices.tolist() == expected.indices.tolist()  # the storage order decides float sums downstream
    assert got.data.view(np.uint32).tolist() == expected.data.view(np.uint32).tolist()
    return got


def test_stop_words_are_scikit_learns() -> None:
    stop_words = pytest.importorskip("sklearn.feature_extraction._stop_words")
    assert ENGLISH_STOP_WORDS == stop_words.ENGLISH_STOP_WORDS and len(ENGLISH_STOP_WORDS) == 318


@pytest.mark.parametrize("ngram_range", NGRAMS)
def test_sample_corpus_vectors_are_scikit_learns(ngram_range: tuple[int, int]) -> None:
    graph = build_graph(graphnews.load([graphnews.sample_data_path()]))
    ids = sorted(node for node, kind in graph.nodes(data="kind") if kind == "article")
    for text in (article_text, headline_text):
        matrix = assert_bitwise_equal([text(graph.nodes[node]) for node in ids], ngram_range)
        assert matrix.shape[0] == 51 and matrix.nnz > 900


@pytest.mark.parametrize("block", [1, 2, 7])
def test_rows_normalised_in_blocks_give_scikit_learns_vectors(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The weights are normalised a block of rows at a time (memory at a million articles): any block size, same bits."""
    from graphnews.analysis import similarity

    monkeypatch.setattr(similarity, "NORM_ROWS", block)
    graph = build_graph(graphnews.load([graphnews.sample_data_path()]))
    texts = [article_text(data) for _, data in graph.nodes(data=True) if data.get("kind") == "article"]
    assert len(texts) > 3 * block
    assert_bitwise_equal(texts, (1, 2))


def test_text_model_rows_and_terms() -> None:
    graph = build_graph(graphnews.load([graphnews.sample_data_path()]))
    model = text_model(graph)
    assert model.matrix.shape == (51, 700) and len(model.terms) == 700
    norms = np.sqrt(np.asarray(model.matrix.multiply(model.matrix).sum(axis=1)).ravel())
    assert np.allclose(norms[norms > 0], 1.0, atol=1e-6)
    assert "strike" in set(model.terms) and "the" not in set(model.terms)


def test_accents_case_and_stop_words() -> None:
    vectorizer = Vectorizer((1, 2))
    assert vectorizer.tokens("The Café in ZÜRICH, naïve 3rd x2 of it") == [
        "cafe", "zurich", "naive", "x2", "cafe zurich", "zurich naive", "naive x2"]
    assert_bitwise_equal(["Café café CAFE cafe", "Zürich", "the of and"], (1, 1))


def test_only_stop_words_is_an_error_as_in_scikit_learn() -> None:
    with pytest.raises(ValueError, match="empty vocabulary"):
        Vectorizer().fit_transform(["the and of", "3 4 x"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join), min_size=1, max_size=12),
       st.sampled_from(NGRAMS))
def test_any_texts_give_scikit_learns_vectors(texts: list[str], ngram_range: tuple[int, int]) -> None:
    assert_bitwise_equal(texts, ngram_range)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_any_unicode_gives_scikit_learns_vectors(texts: list[str]) -> None:
    assert_bitwise_equal(texts, (1, 2))
