"""Text similarity between articles: the ONE place graphnews turns article text into vectors.

Articles that tell the same story are often not linked by any related list (a plain-text
copy has no URL at all), so they are linked by what they say. Each article's title,
excerpt and body become a TF-IDF vector (sublinear tf, English stop words, accents
stripped, L2-normalised), and the cosine of two vectors is their dot product. The vectors
are those of scikit-learn's ``TfidfVectorizer`` with the same settings, bit for bit
(:class:`Vectorizer`, checked in ``tests/test_tfidf.py``), built here with numpy and scipy
because importing scikit-learn costs 0.9 s, a third of a small corpus' whole run.

All pairs would be quadratic, so :func:`similar_pairs` multiplies one block of rows at a
time by the whole (sparse) matrix and keeps only the ``top_k`` best scores of each row
above ``threshold``: memory is bounded by the block, and the work by the sparsity of the
vectors (see ``tests/bench/bench_clusters.py`` for 10k and 100k articles).

Above :data:`EXACT_MAX_ARTICLES` articles the products are dominated by the few terms that
most articles share (each such term makes every pair of its articles a product term:
O(df^2)). There candidates come from the vectors without the terms found in more than
:data:`MAX_DF` of the articles (their TF-IDF weight is low anyway), kept at half the
threshold; every candidate is then scored exactly with the full vectors, and the threshold
and ``top_k`` apply to the exact scores. Up to that size the result is exact.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ..build import ARTICLE
from ..lookup import find_article
from ..settings import SimilarSettings
from .stopwords import ENGLISH_STOP_WORDS

#: The defaults of ``similar.*`` (declared in :mod:`graphnews.settings`).
DEFAULT_THRESHOLD: float = SimilarSettings.min_similarity
DEFAULT_TOP_K: int = SimilarSettings.top_k
BLOCK_ROWS = 512
#: Up to this many articles all pairs are scored exactly; above, candidates skip common terms.
EXACT_MAX_ARTICLES = 5_000
#: Above EXACT_MAX_ARTICLES, terms in more than this share of the articles do not make
#: candidates, unless the candidate products fit PRODUCT_BUDGET with them.
MAX_DF = 0.01
#: Work allowed for candidate generation: the sum over kept terms of (articles with the term)^2.
#: About 5 s on this 2-core machine. A corpus whose every word is common (the synthetic
#: generator's 1,456-word vocabulary) keeps everything up to ~15,000 articles.
PRODUCT_BUDGET = 300_000_000
#: Candidates are kept from this share of the threshold on the pruned vectors.
CANDIDATE_FACTOR = 0.5
#: Entries one block's product may hold (~8 bytes each, and as much again while scipy makes it): at 1M
#: articles a block of BLOCK_ROWS rows sharing common words made a product of ~250M entries (2 GB).
PRODUCT_BLOCK_ENTRIES = 16_000_000
#: Candidate pairs rescored at once (their rows copied: ~50 MB with the stories' bigram vectors).
RESCORE_PAIRS = 65_536
#: Rows whose candidate pairs are ranked at once by :func:`rescore` (a row ranks all of its pairs).
TOP_K_ROWS = 65_536
#: Pairs turned into Python tuples at once by :meth:`ScoredPairs.items`.
ITEM_CHUNK = 65_536
#: Rows whose TF-IDF weights are normalised at once (the float64 temporaries are ~16 bytes a term of them).
NORM_ROWS = 65_536
#: Words of a body that stand for the lede of an article without an excerpt.
LEDE_WORDS = 60


@dataclass(frozen=True)
class TextModel:
    """Article ids (sorted), their TF-IDF rows (same order) and the vocabulary's terms."""

    ids: list[str]
    matrix: sp.csr_matrix
    terms: np.ndarray


@dataclass(frozen=True)
class ScoredPairs:
    """Row pairs ``(first[k], second[k])``, ``first < second``, and their ``scores``, as arrays.

    What :func:`cosine_pairs` returns: 24 bytes a pair where a dict of tuples and floats
    takes ~200 (the 100k benchmark's stories keep millions of pairs, three times over).
    The order is kept, as a dict keeps it: sums over the pairs depend on it to the last bit.
    """

    first: np.ndarray
    second: np.ndarray
    scores: np.ndarray

    @classmethod
    def of(cls, pairs: Mapping[tuple[int, int], float]) -> ScoredPairs:
        """The pairs of a dict, in its order."""
        index = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
        return cls(index[:, 0], index[:, 1], np.fromiter(pairs.values(), dtype=np.float64, count=len(pairs)))

    def __len__(self) -> int:
        return len(self.scores)

    def items(self) -> Iterator[tuple[tuple[int, int], float]]:
        """``((i, j), score)`` in order, as ``dict.items()``; made a chunk at a time, never all at once."""
        for start in range(0, len(self), ITEM_CHUNK):
            end = start + ITEM_CHUNK
            yield from zip(zip(self.first[start:end].tolist(), self.second[start:end].tolist()),
                           self.scores[start:end].tolist())

    def to_dict(self) -> dict[tuple[int, int], float]:
        """``(i, j) -> score`` in order."""
        return dict(self.items())

    def where(self, keep: np.ndarray) -> ScoredPairs:
        """The pairs where ``keep`` (a boolean array) is true, in order."""
        return ScoredPairs(self.first[keep], self.second[keep], self.scores[keep])

    def with_scores(self, scores: np.ndarray) -> ScoredPairs:
        """The same pairs with other scores."""
        return ScoredPairs(self.first, self.second, scores)

    def codes(self, size: int) -> np.ndarray:
        """One int a pair, ``i * size + j`` (``size``: more than any row number)."""
        return self.first * np.int64(size) + self.second

    def updated(self, other: ScoredPairs, size: int) -> ScoredPairs:
        """These pairs updated with ``other``'s, as ``dict.update`` orders them: a pair of both keeps its place
        and takes ``other``'s score; the new pairs follow in ``other``'s order."""
        if not len(self) or not len(other):
            return other if not len(self) else self
        mine, theirs = self.codes(size), other.codes(size)
        order = np.argsort(theirs, kind="stable")
        position = np.searchsorted(theirs[order], mine).clip(max=len(theirs) - 1)
        shared = theirs[order][position] == mine
        scores = self.scores.copy()
        scores[shared] = other.scores[order[position[shared]]]
        new = ~np.isin(theirs, mine)
        return ScoredPairs(np.concatenate([self.first, other.first[new]]), np.concatenate([self.second, other.second[new]]),
                           np.concatenate([scores, other.scores[new]]))

    def lookup(self, pairs: Iterable[tuple[int, int]], size: int) -> dict[tuple[int, int], float]:
        """The scores of those of ``pairs`` that are here."""
        wanted = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
        if not len(self) or not len(wanted):
            return {}
        codes = self.codes(size)
        order = np.argsort(codes, kind="stable")
        sought = wanted[:, 0] * np.int64(size) + wanted[:, 1]
        position = np.searchsorted(codes[order], sought).clip(max=len(codes) - 1)
        hit = codes[order][position] == sought
        return dict(zip(map(tuple, wanted[hit].tolist()), self.scores[order[position[hit]]].tolist()))


def article_text(attributes: dict[str, object]) -> str:
    """Title, excerpt and body of an article node in one string."""
    return "\n".join(str(attributes[key]) for key in ("title", "excerpt", "body") if attributes.get(key))


def headline_text(attributes: dict[str, object]) -> str:
    r"""What says which event an article reports: its title twice, then its lede.

    The lede is the excerpt, else the first :data:`LEDE_WORDS` words of the body (a
    plain-text article has only a body). The title counts twice because it names the
    event; an excerpt often opens with background.

    >>> headline_text({"title": "Strike ends", "body": "Dockers went back to work on Friday."})
    'Strike ends\nStrike ends\nDockers went back to work on Friday.'
    """
    title = str(attributes.get("title") or "")
    lede = str(attributes.get("excerpt") or "") or " ".join(str(attributes.get("body") or "").split()[:LEDE_WORDS])
    return "\n".join(part for part in (title, title, lede) if part)


#: A word: two or more letters or digits starting with a letter (no numbers, no one-letter words).
TOKEN_PATTERN = re.compile(r"(?u)\b[^\W\d_]\w+\b")


def strip_accents(text: str) -> str:
    """``text`` without combining marks after NFKD normalisation (ASCII text is returned as is).

    >>> strip_accents("Café Zürich")
    'Cafe Zurich'
    """
    if text.isascii():
        return text
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


class Vectorizer:
    """TF-IDF vectors of texts: scikit-learn's ``TfidfVectorizer`` with graphnews' settings, bit for bit.

    Lowercased, accents stripped, words of :data:`TOKEN_PATTERN`, English stop words
    removed, then word n-grams of ``ngram_range``; sublinear tf (``1 + log(count)``),
    smoothed idf (``1 + log((n + 1) / (df + 1))``), rows L2-normalised, float32. Every
    step keeps scikit-learn's order of float operations (its columns are the terms in
    alphabetical order; within a row, entries are stored in the order the terms were first
    seen in the corpus), so the cosines downstream are the same to the last bit.

    Examples
    --------
    >>> vectorizer = Vectorizer()
    >>> matrix = vectorizer.fit_transform(["Dockers strike", "Dockers vote", "the"])
    >>> vectorizer.get_feature_names_out().tolist(), matrix.shape, matrix.nnz
    (['dockers', 'strike', 'vote'], (3, 3), 4)
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 1)) -> None:
        self.ngram_range = ngram_range
        self.terms: list[str] = []

    def tokens(self, text: str) -> list[str]:
        """The terms of one text, in order: words without stop words, then the n-grams of ``ngram_range``."""
        words = [word for word in TOKEN_PATTERN.findall(strip_accents(text.lower())) if word not in ENGLISH_STOP_WORDS]
        low, high = self.ngram_range
        terms = list(words) if low == 1 else []
        for n in range(max(low, 2), min(high, len(words)) + 1):
            terms.extend(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
        return terms

    def fit_transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        """Fit the vocabulary and idf on ``texts`` and return their vectors (one row each).

        Raises ``ValueError`` when no text has a single term (as scikit-learn does).
        """
        vocabulary: dict[str, int] = {}  # term -> order of first appearance
        columns = array("i")  # C ints, not a list: 8 bytes an entry less (~8M entries at 100k records)
        counts = array("i")
        indptr = [0]
        for text in texts:
            row: dict[int, int] = {}
            for term in self.tokens(text):
                column = vocabulary.setdefault(term, len(vocabulary))
                row[column] = row.get(column, 0) + 1
            for column in sorted(row):  # scikit-learn sorts a row by first appearance
                columns.append(column)
                counts.append(row[column])
            indptr.append(len(columns))
        if not vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        self.terms = sorted(vocabulary)
        alphabetical = np.empty(len(self.terms), dtype=np.int32)
        alphabetical[np.fromiter((vocabulary[term] for term in self.terms), dtype=np.int64, count=len(self.terms))] = \
            np.arange(len(self.terms), dtype=np.int32)
        del vocabulary  # the terms live on in self.terms; the dict's table goes before the arrays are made
        indices = alphabetical[np.frombuffer(columns, dtype=np.intc)]
        data = np.frombuffer(counts, dtype=np.intc).astype(np.float32)
        del columns, counts
        rows = np.asarray(indptr, dtype=np.int32)
        # sublinear tf and smoothed idf, in float32 as scikit-learn computes them
        np.log(data, out=data)
        data += np.float32(1.0)
        frequency = np.bincount(indices, minlength=len(self.terms)).astype(np.float32) + np.float32(1.0)
        idf = np.full_like(frequency, fill_value=len(rows) - 1 + 1, dtype=np.float32) / frequency  # (n + 1) / (df + 1)
        np.log(idf, out=idf)
        idf += np.float32(1.0)
        ones = np.ones(len(self.terms))
        for start in range(0, len(rows) - 1, NORM_ROWS):  # in place, a block of rows at a time: the float64
            bounds = rows[start:start + NORM_ROWS + 1]  # temporaries of all rows at once were 1.9 GB at 1M articles
            lo, hi = bounds[0], bounds[-1]
            block = data[lo:hi]
            block *= idf[indices[lo:hi]]
            # L2 norms: float32 squares summed in float64 row by row (a CSR product sums in storage order)
            squares = sp.csr_matrix(((block * block).astype(np.float64), indices[lo:hi], bounds - lo),
                                    shape=(len(bounds) - 1, len(self.terms)))
            norms = np.sqrt(squares @ ones)
            norms[norms == 0] = 1.0
            block[:] = block / np.repeat(norms, np.diff(bounds))  # float64 quotients, stored as float32
        return sp.csr_matrix((data, indices, rows), shape=(len(rows) - 1, len(self.terms)))

    def get_feature_names_out(self) -> np.ndarray:
        """The terms, one per column (alphabetical), as scikit-learn names them."""
        return np.asarray(self.terms, dtype=object)


def make_vectorizer(ngram_range: tuple[int, int] = (1, 1)) -> Vectorizer:
    """The TF-IDF settings every similarity in graphnews uses (similar edges, stories)."""
    return Vectorizer(ngram_range)


def text_model(graph: nx.Graph, *, text: Callable[[dict[str, object]], str] = article_text,
               ngram_range: tuple[int, int] = (1, 1)) -> TextModel:
    """Fit the TF-IDF model on every article node of ``graph``.

    Parameters
    ----------
    text : callable
        The text of one article node: :func:`article_text` (title, excerpt, body) for
        ``similar`` links, :func:`headline_text` for stories.
    ngram_range : (int, int)
        Word n-grams counted: stories add bigrams ("vice president", "chief staff").

    Returns
    -------
    TextModel
        Rows are L2-normalised, so ``matrix @ matrix.T`` is the cosine similarity.
        An article without text has an all-zero row (similar to nothing).
    """
    ids = sorted(node for node, kind in graph.nodes(data="kind") if kind == ARTICLE)
    return fit_text_model(ids, [text(graph.nodes[node]) for node in ids], ngram_range)


def fit_text_model(ids: list[str], texts: list[str], ngram_range: tuple[int, int] = (1, 1)) -> TextModel:
    """:func:`text_model` from the articles' ids (sorted) and texts: the part the Parquet path shares."""
    vectorizer = make_vectorizer(ngram_range)
    try:
        matrix = vectorizer.fit_transform(texts)
        terms = vectorizer.get_feature_names_out()
    except ValueError:  # no article has a single word outside the stop list
        matrix, terms = sp.csr_matrix((len(ids), 0), dtype=np.float32), np.array([], dtype=object)
    return TextModel(ids, matrix, terms)


#: Runs :func:`block_pairs` over the rows of a matrix, in row order, somewhere (one process,
#: or Dask tasks: :func:`graphnews.distributed.candidates.dask_pair_blocks`). Called as
#: ``pair_blocks(matrix, transposed, threshold, top_k)``; yields each part's pairs.
PairBlocks = Callable[[sp.csr_matrix, sp.csr_matrix, float, int], Iterable[ScoredPairs]]


def top_k_pairs(matrix: sp.csr_matrix, *, threshold: float, top_k: int, block_rows: int = BLOCK_ROWS,
                pair_blocks: PairBlocks | None = None) -> dict[tuple[int, int], float]:
    """Row pairs ``(i, j)``, ``i < j``, whose score is among the ``top_k`` of row i or of row j.

    Scores are ``matrix @ matrix.T``, computed one block of rows at a time; only scores
    ``>= threshold`` are kept, so memory stays linear in the number of rows. ``pair_blocks``
    runs the blocks elsewhere (e.g. on a Dask cluster); the pairs are the same.

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]]))
    >>> sorted((i, j, round(s, 2)) for (i, j), s in top_k_pairs(m, threshold=0.5, top_k=1).items())
    [(0, 1, 0.8), (1, 2, 0.6)]
    """
    pairs: dict[tuple[int, int], float] = {}
    for part in _pair_parts(matrix, threshold, top_k, block_rows, pair_blocks):
        # in row order: a pair met from both its rows keeps the later score, as in one pass
        pairs.update(part.items())
    return pairs


def _pair_parts(matrix: sp.csr_matrix, threshold: float, top_k: int, block_rows: int,
                pair_blocks: PairBlocks | None) -> Iterable[ScoredPairs]:
    """The :func:`block_pairs` of ``matrix``'s rows in row order, here or by ``pair_blocks``."""
    transposed = matrix.T.tocsr()  # CSR: a CSC right operand is converted again for every block
    if pair_blocks is not None:
        return pair_blocks(matrix, transposed, threshold, top_k)
    return (block_pairs(matrix[start:start + block_rows], transposed, start, threshold=threshold, top_k=top_k)
            for start in range(0, matrix.shape[0], block_rows))


def block_pairs(rows: sp.csr_matrix, transposed: sp.csr_matrix, start: int, *, threshold: float, top_k: int,
                block_rows: int = BLOCK_ROWS) -> ScoredPairs:
    """The :func:`top_k_pairs` of the rows ``start ..`` of a matrix (``rows``), against all of it (``transposed``).

    Returns the pairs ``(i, j)``, ``i < j``, with their scores, in the order of the rows (a row's
    pairs in the product's order, or best first, ties by the smaller column, when it has more
    than ``top_k``): the unit of work a :data:`PairBlocks` runner sends out.
    """
    parts = [_top_of_rows((rows[offset:end] @ transposed).tocsr(), start + offset, threshold, top_k)
             for offset, end in _product_blocks(rows, transposed, block_rows)]
    if not parts:
        return ScoredPairs(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0))
    return ScoredPairs(*(np.concatenate([part[field] for part in parts]) for field in range(3)))


def _top_of_rows(block: sp.csr_matrix, first: int, threshold: float,
                 top_k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scores of ``block`` (rows ``first ..``) at least ``threshold``, off the diagonal, at most ``top_k`` a
    row (the best, ties by the smaller column), as ``(min, max, min(score, 1))`` arrays in row order.

    Rows with at most ``top_k`` such scores are taken all at once; a row at a time in Python, each
    pair a tuple, was most of the candidates' time (1M records: 38M pairs).
    """
    rows = np.repeat(np.arange(first, first + block.shape[0], dtype=np.int64), np.diff(block.indptr))
    columns, scores = block.indices.astype(np.int64), block.data
    kept = np.flatnonzero(~(scores < threshold) & (scores != 0) & (columns != rows))
    counts = np.bincount(rows[kept] - first, minlength=block.shape[0])
    crowded = np.flatnonzero(counts > top_k).tolist()
    if crowded:  # those rows one at a time (a sort of all their entries at once is slower on long rows)
        bounds, pieces, done = np.r_[0, np.cumsum(counts)].tolist(), [], 0
        for row in crowded:
            pieces.append(kept[done:bounds[row]])
            entries = kept[bounds[row]:bounds[row + 1]]
            pieces.append(entries[np.lexsort((columns[entries], -scores[entries]))[:top_k]])  # best first, ties by column
            done = bounds[row + 1]
        pieces.append(kept[done:])
        kept = np.concatenate(pieces)
    rows, columns = rows[kept], columns[kept]
    return np.minimum(rows, columns), np.maximum(rows, columns), np.minimum(scores[kept], 1.0)


def _product_blocks(rows: sp.csr_matrix, transposed: sp.csr_matrix, block_rows: int) -> Iterator[tuple[int, int]]:
    """Row ranges ``(start, end)`` of ``rows`` whose product with ``transposed`` has at most
    :data:`PRODUCT_BLOCK_ENTRIES` entries (bounded by the sum of their terms' document counts),
    and at most ``block_rows`` rows; a row over the bound alone is a block of its own.

    >>> m = sp.csr_matrix(np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]))
    >>> list(_product_blocks(m, m.T.tocsr(), 2))
    [(0, 2), (2, 3)]
    """
    counts = np.diff(transposed.indptr)  # each term's rows
    work = np.concatenate([[0], np.cumsum(counts[rows.indices], dtype=np.int64)])[rows.indptr]  # before each row
    start, size = 0, rows.shape[0]
    while start < size:
        end = int(np.searchsorted(work, work[start] + PRODUCT_BLOCK_ENTRIES, side="right")) - 1
        end = max(start + 1, min(end, start + block_rows, size))
        yield start, end
        start = end


def similar_pairs(graph: nx.Graph, *, threshold: float = DEFAULT_THRESHOLD, top_k: int = DEFAULT_TOP_K,
                  model: TextModel | None = None) -> list[tuple[str, str, float]]:
    """Pairs of articles whose texts are similar: ``(a, b, cosine)`` with ``a < b``, sorted.

    Parameters
    ----------
    graph : networkx graph
        Article nodes carry ``title``, ``excerpt`` and ``body``.
    threshold : float
        Smallest cosine kept (0.25 by default: the same event told by two outlets scores
        0.3-0.6, two stories about the same person 0.1-0.2).
    top_k : int
        A pair is kept when it is among the ``top_k`` best of either article.
    model : TextModel, optional
        A model already fitted on ``graph`` (saves fitting twice).

    Returns
    -------
    list of (str, str, float)

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("article:a", kind="article", title="Dockers strike at Terminal 3 over rota")
    >>> g.add_node("article:b", kind="article", title="Terminal 3 dockers strike over new rota")
    >>> g.add_node("article:c", kind="article", title="Hospital funding vote passes")
    >>> [(a, b) for a, b, _ in similar_pairs(g)]
    [('article:a', 'article:b')]
    """
    model = model or text_model(graph)
    pairs = cosine_pairs(model.matrix, threshold=threshold, top_k=top_k)
    return sorted((model.ids[i], model.ids[j], score) for (i, j), score in pairs.items())


def cosine_pairs(matrix: sp.csr_matrix, *, threshold: float, top_k: int,
                 pair_blocks: PairBlocks | None = None) -> ScoredPairs:
    """Row pairs ``(i, j)``, ``i < j``, with a cosine ``>= threshold`` among the ``top_k`` of either row.

    Exact up to :data:`EXACT_MAX_ARTICLES` rows; above, candidates skip the most common
    terms as far as :data:`PRODUCT_BUDGET` needs and are rescored exactly (module docstring).
    ``pair_blocks``: where the candidate products run (:func:`top_k_pairs`).
    """
    if matrix.shape[0] <= EXACT_MAX_ARTICLES:
        return ScoredPairs.of(top_k_pairs(matrix, threshold=threshold, top_k=top_k, pair_blocks=pair_blocks))
    max_df = max(MAX_DF, common_term_cutoff(matrix, PRODUCT_BUDGET) / matrix.shape[0])
    candidates = candidate_pairs(without_common_terms(matrix, max_df), threshold=threshold * CANDIDATE_FACTOR,
                                 top_k=top_k, pair_blocks=pair_blocks)
    return rescore(matrix, candidates, threshold=threshold, top_k=top_k)


def candidate_pairs(matrix: sp.csr_matrix, *, threshold: float, top_k: int,
                    pair_blocks: PairBlocks | None = None) -> np.ndarray:
    """The pairs of :func:`top_k_pairs` without their scores, sorted: an ``(n, 2)`` int64 array.

    Kept as one int a pair while the parts come in: 8 bytes a pair where a dict of tuples
    takes ~200.
    """
    size = np.int64(matrix.shape[0])
    codes = [part.codes(int(size)) for part in _pair_parts(matrix, threshold, top_k, BLOCK_ROWS, pair_blocks)]
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    unique = np.concatenate(codes)
    del codes
    unique.sort()  # in place, then the repeats dropped: np.unique would hold two more copies
    first_of_run = np.ones(len(unique), dtype=bool)
    np.not_equal(unique[1:], unique[:-1], out=first_of_run[1:])
    unique = unique[first_of_run]
    return np.stack([unique // size, unique % size], axis=1)


def common_term_cutoff(matrix: sp.csr_matrix, budget: int) -> int:
    """The largest document frequency a term may have while the candidate work stays in ``budget``.

    Terms are kept from the rarest up while the sum of their squared document frequencies
    (the products a sparse self-product makes) fits ``budget``.

    >>> m = sp.csr_matrix(np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 0.0]]))
    >>> common_term_cutoff(m, 10), common_term_cutoff(m, 5), common_term_cutoff(m, 0)
    (3, 1, 0)
    """
    frequencies = np.sort(np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.int64))
    fitting = int(np.searchsorted(np.cumsum(frequencies ** 2), budget, side="right"))
    return int(frequencies[fitting - 1]) if fitting else 0


def without_common_terms(matrix: sp.csr_matrix, max_df: float) -> sp.csr_matrix:
    """``matrix`` with the columns (terms) of more than ``max_df`` of the rows set to zero.

    >>> m = sp.csr_matrix(np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 0.0]]))
    >>> without_common_terms(m, 0.5).toarray().tolist()
    [[0.0, 1.0], [0.0, 0.0], [0.0, 0.0]]
    """
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = (document_frequency <= max_df * matrix.shape[0]).astype(matrix.dtype)
    return (matrix @ sp.diags(keep)).tocsr()


def pair_scores(matrix: sp.csr_matrix, pairs: np.ndarray) -> np.ndarray:
    """The dot products of the row pairs ``pairs`` (``(n, 2)`` ints) of ``matrix``, one per pair.

    Each pair's two rows are copied out, so callers pass :data:`RESCORE_PAIRS` at a time
    (all at once, a 20k-record corpus' 465,428 candidates peaked 325 MB above the rescore's start).

    >>> m = sp.csr_matrix(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]]))
    >>> pair_scores(m, np.array([[0, 1], [1, 2]])).round(2).tolist()
    [0.8, 0.6]
    """
    return np.asarray(matrix[pairs[:, 0]].multiply(matrix[pairs[:, 1]]).sum(axis=1)).ravel()


def rescore(matrix: sp.csr_matrix, candidates: np.ndarray | Iterable[tuple[int, int]], *, threshold: float,
            top_k: int) -> ScoredPairs:
    """Exact cosines of ``candidates``, filtered like :func:`top_k_pairs` (threshold, then ``top_k`` per row).

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        L2-normalised rows.
    candidates : array or iterable of pairs
        Row pairs ``(i, j)``, ``i < j``: an ``(n, 2)`` array sorted and without repeats
        (:func:`candidate_pairs`), or any pairs (a dict's scores are ignored).
    threshold, top_k : float, int
        As in :func:`top_k_pairs`, applied to the exact scores.

    Returns
    -------
    ScoredPairs
        The pairs that pass, sorted.

    Examples
    --------
    >>> m = sp.csr_matrix(np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]]))
    >>> rescore(m, {(0, 1): 0.0, (0, 2): 0.0}, threshold=0.5, top_k=1).to_dict()
    {(0, 1): 0.8}
    """
    pairs = candidates if isinstance(candidates, np.ndarray) else np.array(sorted(candidates), dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return ScoredPairs(pairs[:, 0], pairs[:, 1], np.empty(0, dtype=np.float64))
    scores = np.concatenate([pair_scores(matrix, pairs[start:start + RESCORE_PAIRS])
                             for start in range(0, len(pairs), RESCORE_PAIRS)])
    passed = scores >= threshold
    pairs, scores = pairs[passed], np.minimum(scores[passed], 1.0)
    kept = np.flatnonzero(_kept_by_either_end(pairs, scores, top_k))
    return ScoredPairs(pairs[kept, 0], pairs[kept, 1], scores[kept].astype(np.float64))


def _kept_by_either_end(pairs: np.ndarray, scores: np.ndarray, top_k: int) -> np.ndarray:
    """Which of ``pairs`` (sorted by first row) are among the ``top_k`` of their first or second row:
    best first, ties by the other row. A block of rows at a time (:data:`TOP_K_ROWS`), each row with
    all its pairs: both ends of every pair at once took ~80 bytes a pair (2 GB at 1M articles)."""
    keep = np.zeros(len(pairs), dtype=bool)
    if not len(pairs):
        return keep
    first, second = pairs[:, 0], pairs[:, 1]
    by_second = np.argsort(second, kind="stable")
    second_sorted = second[by_second]
    for low in range(0, int(max(first[-1], second_sorted[-1])) + 1, TOP_K_ROWS):
        high = low + TOP_K_ROWS
        a, b = np.searchsorted(first, [low, high])
        c, d = np.searchsorted(second_sorted, [low, high])
        index = np.concatenate([np.arange(a, b), by_second[c:d]])
        rows = np.concatenate([first[a:b], second_sorted[c:d]])
        others = np.concatenate([second[a:b], first[by_second[c:d]]])
        order = np.lexsort((others, -scores[index], rows))
        rows = rows[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
        keep[index[order[rank < top_k]]] = True
    return keep


def most_similar(graph: nx.Graph, url_or_id: str, *, top: int = 10,
                 model: TextModel | None = None) -> list[tuple[str, float]]:
    """The ``top`` articles most similar to one article: ``(id, cosine)``, best first, ties by id.

    Articles with a score of 0 (no word in common) are left out.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("article:a", kind="article", title="Dockers strike at Terminal 3")
    >>> g.add_node("article:b", kind="article", title="Terminal 3 strike enters day two")
    >>> g.add_node("article:c", kind="article", title="Hospital vote")
    >>> [(node, round(score, 2)) for node, score in most_similar(g, "article:a")]
    [('article:b', 0.44)]
    """
    node = find_article(graph, url_or_id)
    model = model or text_model(graph)
    row = model.ids.index(node)
    scores = (model.matrix[row] @ model.matrix.T).toarray().ravel()
    ranked = sorted((-float(score), model.ids[i]) for i, score in enumerate(scores) if i != row and score > 0)
    return [(other, min(-negative, 1.0)) for negative, other in ranked[:top]]
