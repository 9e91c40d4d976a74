"""Variates and the compiled Monte Carlo pass of the readiness forecast.

Everything here works on plain arrays so that one chunk of iterations can run in this process,
in a process pool or on a dask worker, and give the same numbers wherever it runs.

How variates are drawn:

- **Uniforms** come from SplitMix64 used as a counter-based generator: the uniform of stream slot
  ``s`` in iteration ``k`` of a chunk is the SplitMix64 output number ``k * slots + s`` from the
  chunk's key (the key is drawn from the chunk's child of ``numpy.random.SeedSequence(seed)``).
  A work item, a driver and a risk each own fixed slots, so the variants of a forecast (a risk
  removed or mitigated) reuse the very same uniforms: common random numbers.
- **Durations** are inverse-CDF transforms of those uniforms. The Beta-PERT (λ = 4) of a task with
  estimate (o, m, p) is ``o + (p − o)·B`` where ``B ~ Beta(1 + 4c, 1 + 4(1 − c))`` and
  ``c = (m − o)/(p − o)``: a one-parameter family in ``c``. Its quantile function is tabulated
  once per process on 129 values of ``c`` × 1,025 probabilities (by integrating the density on a
  fine grid) and read by bilinear interpolation. The triangular quantile is computed exactly.
- **Correlation** through shared drivers is a Gaussian copula with a one-factor term per driver:
  an item's latent normal is ``x = Σ_d a_d·Z_d + b·ε`` with ``Σ a_d² + b² = 1``, and its uniform
  is ``Φ(x)``; ``Z_d`` and ``ε`` come from Box–Muller on their slot's two uniforms. The
  loadings are chosen in :mod:`summitry.analysis.network`.

The compiled pass takes one work item at a time, in topological order, and treats all the
iterations of a chunk for it in a tight loop: the item's quantile row stays in the processor's
cache and the forward pass over its links runs on contiguous vectors. A reverse sweep over the
same arrays marks, per iteration, every item on a critical path to the overall finish (ties
included), so criticality costs about as much as the forward pass. Each item's finish day is
counted in a per-item histogram (for its P80 date) and its uniforms are kept for the rank
correlation with the overall finish (the sensitivity).

The compiled pass does no bounds checking, so :func:`run_chunk` first checks its input
(:func:`check_input`, a handful of vectorised numpy tests over the network, never over the
iterations): indices in range, numbers finite and within the plan's bounds, and a longest
possible finish that fits the supported dates. A bad network is refused in one line instead
of corrupting memory.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

from summitry.domain.base import FIRST_DATE, LAST_DATE, MAX_WORKING_DAYS
from summitry.errors import InputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

FIXED = 0
"""Kind of a duration that does not vary (no estimate, or optimistic = pessimistic)."""
PERT = 1
"""Kind of a Beta-PERT (λ = 4) duration."""
TRIANGULAR = 2
"""Kind of a triangular duration."""

PROBABILITY_STEPS = 1024
"""Intervals of the tabulated PERT quantile function along the probability axis."""
MODE_STEPS = 128
"""Intervals of the tabulated PERT quantile function along the mode position ``c``."""
EPSILON = 1e-9
"""Tolerance, in working days, when comparing finish times (ties and whole days)."""
HORIZON_LIMIT = (LAST_DATE - FIRST_DATE).days + 1
"""The most working days a simulated finish may lie after the start: every day of the
supported date range (no calendar has more working days than that)."""

_F = TypeVar("_F", bound=Callable[..., Any])


def _compiled(function: _F) -> _F:
    # cache=True keeps the seconds-long compilation out of every run after the first;
    # nogil=True lets threaded executors (dask with processes=False) use several cores.
    return cast(_F, numba.njit(cache=True, nogil=True)(function))


@lru_cache(maxsize=1)
def pert_table() -> FloatArray:
    """Quantiles of the standard Beta-PERT on [0, 1], by mode position and probability.

    Row ``j`` holds the mode ``c = j / MODE_STEPS``; column ``i`` the probability
    ``i / PROBABILITY_STEPS``. The density ``x^(4c) (1 − x)^(4(1 − c))`` is integrated by the
    trapezoid rule on 16,385 points and inverted by linear interpolation. Read back by
    bilinear interpolation, quantiles are within 5e-5 of the range for 99 % of draws; only the
    outermost 1/1024 of probability is coarser (linear between the end and the first entry).

    Usage: ``pert_table()[64, 512]`` is 0.5 (the median of the symmetric PERT).
    """
    x = np.linspace(0.0, 1.0, 16_385)
    probabilities = np.linspace(0.0, 1.0, PROBABILITY_STEPS + 1)
    table = np.empty((MODE_STEPS + 1, PROBABILITY_STEPS + 1))
    for row, mode in enumerate(np.linspace(0.0, 1.0, MODE_STEPS + 1)):
        density = x ** (4.0 * mode) * (1.0 - x) ** (4.0 * (1.0 - mode))
        cdf = np.concatenate(([0.0], np.cumsum(0.5 * (density[1:] + density[:-1]))))
        cdf /= cdf[-1]
        table[row] = np.interp(probabilities, cdf, x)
    # The ends are exact; pin them so that no rounding lets a sample leave [o, p].
    table[:, 0] = 0.0
    table[:, -1] = 1.0
    return table


@dataclass(frozen=True)
class SimulationInput:
    """The task network as plain arrays, items in topological order (see ``network``).

    Durations: ``kind`` (FIXED, PERT, TRIANGULAR), ``low`` (optimistic), ``span`` (pessimistic −
    optimistic), ``mode`` (position of the most likely value in [0, 1]); the sampled duration is
    multiplied by ``remaining`` (the share of work left) and the delays of the risks that occur
    are added. ``release`` is the earliest start (lags after finished predecessors). Links are
    CSR arrays of predecessors with lags. ``slot`` is each item's first stream slot (it owns
    two). Drivers: ``driver_ptr``/``driver_index``/``driver_load`` per item, ``own_load`` the
    weight of the item's own noise, ``driver_slot`` each driver's first slot. Risks:
    probability, delay distribution and first slot per risk, and per item the risks that delay
    it (``item_risk_ptr``/``item_risk_index``). ``workstream`` is each item's workstream index
    (−1 for none).
    """

    slots: int
    kind: IntArray
    low: FloatArray
    span: FloatArray
    mode: FloatArray
    remaining: FloatArray
    release: FloatArray
    slot: IntArray
    pred_ptr: IntArray
    pred_index: IntArray
    pred_lag: FloatArray
    driver_ptr: IntArray
    driver_index: IntArray
    driver_load: FloatArray
    own_load: FloatArray
    driver_slot: IntArray
    risk_probability: FloatArray
    risk_kind: IntArray
    risk_low: FloatArray
    risk_span: FloatArray
    risk_mode: FloatArray
    risk_slot: IntArray
    item_risk_ptr: IntArray
    item_risk_index: IntArray
    workstream: IntArray
    workstreams: int

    @property
    def items(self) -> int:
        """Number of work items simulated (open work only).

        Usage: ``spec.items``.
        """
        return int(self.kind.shape[0])


@dataclass(frozen=True)
class ChunkResult:
    """What one chunk of iterations returns; the parent adds chunks up in chunk order.

    ``finish`` is the overall finish per iteration and ``workstream_finish`` (iterations ×
    workstreams) each workstream's, in working days from the start. ``critical`` counts the
    iterations in which an item lay on a critical path to the overall finish; ``start_sum``
    sums its simulated early starts. Finish days (whole working days, the day a finish falls
    on) are counted per item over the range seen in the chunk: item ``i`` counts days
    ``day_low[i]`` onwards in ``day_counts[day_ptr[i]:day_ptr[i + 1]]``. ``u_sum``,
    ``u_squares`` and ``u_rank`` are sums of each item's uniform, of its square and of its
    product with the normalised mid-rank of the overall finish within the chunk;
    ``rank_sum``/``rank_squares`` are the sums of those ranks and of their squares.
    """

    finish: FloatArray
    workstream_finish: FloatArray
    critical: IntArray
    start_sum: FloatArray
    day_low: IntArray
    day_ptr: IntArray
    day_counts: IntArray
    u_sum: FloatArray
    u_squares: FloatArray
    u_rank: FloatArray
    rank_sum: float
    rank_squares: float


class _Scratch:
    """Work arrays of one thread, kept from chunk to chunk.

    Allocating and freeing tens of megabytes per chunk makes the C allocator hand the memory
    back to the system and fault it in again on every chunk, which costs more than the
    simulation itself; so each thread keeps its arrays (and frees them with the thread).
    """

    def __init__(self) -> None:
        self.capacity = 0
        self.full = False
        self.flat_finish = np.zeros(0)
        self.flat_start = np.zeros(0)
        self.flat_path = np.zeros(0, dtype=np.uint8)
        self.flat_u = np.zeros(0, dtype=np.float32)
        self.day_counts = np.zeros(0, dtype=np.int64)
        self.early_finish = np.zeros((0, 0))
        self.early_start = np.zeros((0, 0))
        self.on_path = np.zeros((0, 0), dtype=np.uint8)
        self.u_store = np.zeros((0, 0), dtype=np.float32)

    def arrays(self, n: int, m: int, full: bool) -> _Scratch:
        """Shape the arrays for ``n`` items × ``m`` iterations, growing them when needed."""
        size = n * m
        if size > self.capacity or (full and not self.full):
            self.capacity = max(size, self.capacity)
            self.full = self.full or full
            self.flat_finish = np.empty(self.capacity)
            keep = self.capacity if self.full else 0
            self.flat_start = np.empty(keep)
            self.flat_path = np.empty(keep, dtype=np.uint8)
            self.flat_u = np.empty(keep, dtype=np.float32)
        kept = size if full else 0
        self.early_finish = self.flat_finish[:size].reshape(n, m)
        self.early_start = self.flat_start[:kept].reshape(n if full else 0, m)
        self.on_path = self.flat_path[:kept].reshape(n if full else 0, m)
        self.u_store = self.flat_u[:kept].reshape(n if full else 0, m)
        return self


_local = threading.local()


def _scratch() -> _Scratch:
    scratch: _Scratch | None = getattr(_local, "scratch", None)
    if scratch is None:
        scratch = _Scratch()
        _local.scratch = scratch
    return scratch


def release_scratch() -> None:
    """Free the work arrays this thread keeps between chunks.

    Usage: ``release_scratch()`` after the last chunk of a forecast.
    """
    _local.__dict__.pop("scratch", None)


def chunk_key(seed: int, chunk: int) -> np.uint64:
    """The generator key of one chunk, drawn from its child of ``SeedSequence(seed)``.

    ``SeedSequence(seed, spawn_key=(chunk,))`` is the ``chunk``-th child that
    ``SeedSequence(seed).spawn(n)`` hands out, whatever ``n`` is, so chunks can be seeded one
    at a time when the number of chunks is not known in advance.

    Usage: ``chunk_key(0, 3)``.
    """
    child = np.random.SeedSequence(seed, spawn_key=(chunk,))
    return np.uint64(child.generate_state(1, np.uint64)[0])


_passed: dict[int, weakref.ref[SimulationInput]] = {}
"""The networks that passed :func:`check_input`, by identity, while they live."""


def check_input(spec: SimulationInput) -> None:
    """Refuse, in one line, a network the compiled pass must not be given.

    The plan model already keeps every number finite and bounded; this is the kernel's own
    check, because the compiled pass reads its arrays without bounds checks: an index out of
    range, a negative mode or a finish beyond what a day count can hold would corrupt memory
    rather than raise. It costs a few hundred microseconds of small numpy operations, so a
    network that passed is remembered (a ``SimulationInput`` is frozen and nothing writes into
    its arrays): a forecast checks its network and each risk variant once, not every chunk.

    Usage: ``check_input(build_network(plan).spec)``.
    """
    known = _passed.get(id(spec))
    if known is not None and known() is spec:
        return
    problem = _structure_problem(spec) or _value_problem(spec)
    if problem is None:
        longest = longest_finish(spec)
        if not longest <= HORIZON_LIMIT:
            problem = (
                f"the longest finish is {longest:,.0f} working days, more than the "
                f"{HORIZON_LIMIT:,} the supported dates hold"
            )
    if problem is not None:
        raise InputError(f"cannot simulate this forecast: {problem}")
    key = id(spec)
    _passed[key] = weakref.ref(spec, lambda _: _passed.pop(key, None))


def _in_range(values: npt.NDArray[Any], low: float, high: float) -> bool:
    # NaN fails both comparisons, so it is refused with everything else out of range.
    return bool(np.all((values >= low) & (values <= high)))


def _owners(ptr: IntArray) -> IntArray:
    """The row of each entry of a CSR layout (``ptr`` checked first)."""
    return np.repeat(np.arange(ptr.shape[0] - 1, dtype=np.int64), np.diff(ptr))


def _structure_problem(spec: SimulationInput) -> str | None:
    n, drivers, risks = spec.items, spec.driver_slot.shape[0], spec.risk_probability.shape[0]
    items: tuple[npt.NDArray[Any], ...] = (spec.low, spec.span, spec.mode, spec.remaining)
    items += (spec.release, spec.slot, spec.own_load, spec.workstream)
    risk_arrays = (spec.risk_kind, spec.risk_low, spec.risk_span, spec.risk_mode, spec.risk_slot)
    if any(a.shape != (n,) for a in items) or any(a.shape != (risks,) for a in risk_arrays):
        return "its arrays differ in length"
    links = (
        ("links", spec.pred_ptr, spec.pred_index, spec.pred_lag),
        ("driver loadings", spec.driver_ptr, spec.driver_index, spec.driver_load),
        ("risk links", spec.item_risk_ptr, spec.item_risk_index, spec.item_risk_index),
    )
    for name, ptr, index, values in links:
        if ptr.shape != (n + 1,) or ptr[0] != 0 or np.any(np.diff(ptr) < 0):
            return f"its {name} are not laid out per item"
        if ptr[-1] != index.shape[0] or values.shape != index.shape:
            return f"its {name} are not laid out per item"
    # Predecessors come earlier in the order: that is what makes one forward pass correct.
    if not np.all((spec.pred_index >= 0) & (spec.pred_index < _owners(spec.pred_ptr))):
        return "a link names an item that is not before it in the order"
    if not _in_range(spec.driver_index, 0, drivers - 1):
        return "a driver loading names no driver"
    if not _in_range(spec.item_risk_index, 0, risks - 1):
        return "a risk link names no risk"
    if not _in_range(spec.workstream, -1, spec.workstreams - 1):
        return "an item names no workstream"
    # The kinds are FIXED, PERT and TRIANGULAR: 0, 1 and 2.
    kinds_known = _in_range(spec.kind, FIXED, TRIANGULAR)
    if not (kinds_known and _in_range(spec.risk_kind, FIXED, TRIANGULAR)):
        return "a duration has an unknown distribution"
    slots = np.concatenate((spec.slot, spec.driver_slot, spec.risk_slot))
    if not _in_range(slots, 0, spec.slots - 2):
        return "a random stream lies outside its slots"
    return None


def _value_problem(spec: SimulationInput) -> str | None:
    days = MAX_WORKING_DAYS
    ranges = (
        ("optimistic durations", spec.low, 0, days),
        ("duration ranges", spec.span, 0, days),
        ("pessimistic durations", spec.low + spec.span, 0, days),
        ("shares of work left", spec.remaining, 0, 1),
        ("lags after finished work", spec.release, 0, days),
        ("lags", spec.pred_lag, -days, days),
        ("driver loadings", spec.driver_load, 0, 1),
        ("own loadings", spec.own_load, 0, 1),
        ("risk probabilities", spec.risk_probability, 0, 1),
        ("risk delays", spec.risk_low, 0, days),
        ("risk delay ranges", spec.risk_span, 0, days),
        ("longest risk delays", spec.risk_low + spec.risk_span, 0, days),
        ("most likely positions", spec.mode, 0, 1),
        ("risk most likely positions", spec.risk_mode, 0, 1),
    )
    for name, values, low, high in ranges:
        if not _in_range(values, low, high):
            return f"{name} must be finite numbers from {low:,} to {high:,}"
    return None


def longest_finish(spec: SimulationInput) -> float:
    """The latest finish any iteration can reach, in working days from the start.

    Every duration at its pessimistic value and every risk with a chance of occurring at its
    longest delay: no sample exceeds either, so the forward pass over them bounds every
    simulated finish. The structure of ``spec`` must be sound (see :func:`check_input`).

    Usage: ``longest_finish(build_network(plan).spec)``.
    """
    if spec.items == 0:
        return 0.0
    longest = (spec.low + spec.span) * spec.remaining
    risk_delay = np.where(spec.risk_probability > 0, spec.risk_low + spec.risk_span, 0.0)
    np.add.at(longest, _owners(spec.item_risk_ptr), risk_delay[spec.item_risk_index])
    _, early_finish, _, _ = cpm_passes(
        spec.pred_ptr, spec.pred_index, spec.pred_lag, spec.release, longest
    )
    return float(early_finish.max())


def run_chunk(
    spec: SimulationInput,
    seed: int,
    chunk: int,
    size: int,
    full: bool = True,
    skip_risk: int = -1,
    skip_probability: float = 0.0,
    base_finish: FloatArray | None = None,
) -> ChunkResult:
    """Simulate ``size`` iterations of chunk number ``chunk``; picklable, runs anywhere.

    With ``full`` it also gathers workstream finishes, criticality, item finish days and the
    rank sums for the sensitivity. A light run (``full=False``) only returns the overall
    finish. Given ``skip_risk`` (a risk whose probability is zero in ``spec``), its baseline
    probability ``skip_probability`` and the baseline ``base_finish`` of the same chunk, a
    light run recomputes only the iterations in which that risk occurred in the baseline and
    copies the others: nothing else differs between the two runs.

    Raises :class:`~summitry.errors.InputError` (one line) for a network that fails
    :func:`check_input`.

    Usage: ``run_chunk(spec, seed=0, chunk=0, size=2_500)``.
    """
    check_input(spec)
    key = chunk_key(seed, chunk)
    if skip_risk >= 0:
        if base_finish is None:
            raise ValueError("a light run that skips a risk needs the baseline finish")
        occurred = _occurrences(key, size, spec.slots, int(spec.risk_slot[skip_risk]))
        iterations = np.flatnonzero(occurred < skip_probability).astype(np.int64)
    else:
        iterations = np.arange(size, dtype=np.int64)
    m = iterations.shape[0]
    n = spec.items
    keep = n if full else 0
    work = _scratch().arrays(n, m, full)
    finish = np.zeros(m)
    workstream_finish = np.zeros((spec.workstreams, m if full else 0))
    critical = np.zeros(keep, dtype=np.int64)
    start_sum = np.zeros(keep)
    day_low = np.zeros(keep, dtype=np.int64)
    day_ptr = np.zeros(keep + 1, dtype=np.int64)
    u_sum = np.zeros(keep)
    u_squares = np.zeros(keep)
    day_buffer = _simulate(
        key,
        iterations,
        spec.slots,
        spec.kind,
        spec.low,
        spec.span,
        spec.mode,
        spec.remaining,
        spec.release,
        spec.slot,
        spec.pred_ptr,
        spec.pred_index,
        spec.pred_lag,
        spec.driver_ptr,
        spec.driver_index,
        spec.driver_load,
        spec.own_load,
        spec.driver_slot,
        spec.risk_probability,
        spec.risk_kind,
        spec.risk_low,
        spec.risk_span,
        spec.risk_mode,
        spec.risk_slot,
        spec.item_risk_ptr,
        spec.item_risk_index,
        spec.workstream,
        pert_table(),
        full,
        finish,
        workstream_finish,
        critical,
        start_sum,
        day_low,
        day_ptr,
        work.u_store,
        u_sum,
        u_squares,
        work.early_finish,
        work.early_start,
        work.on_path,
        work.day_counts,
    )
    work.day_counts = day_buffer
    if skip_risk >= 0 and base_finish is not None:
        merged = np.array(base_finish, dtype=np.float64, copy=True)
        merged[iterations] = finish
        finish = merged
    u_rank = np.zeros(keep)
    rank_sum = rank_squares = 0.0
    if full and size > 0:
        rank_sum, rank_squares = _rank_products(finish, work.u_store, u_rank)
    return ChunkResult(
        finish=finish,
        workstream_finish=np.ascontiguousarray(workstream_finish.T),
        critical=critical,
        start_sum=start_sum,
        day_low=day_low,
        day_ptr=day_ptr,
        day_counts=day_buffer[: day_ptr[-1]].copy() if full else np.zeros(0, dtype=np.int64),
        u_sum=u_sum,
        u_squares=u_squares,
        u_rank=u_rank,
        rank_sum=float(rank_sum),
        rank_squares=float(rank_squares),
    )


# --- compiled kernels --------------------------------------------------------------------------

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S11 = np.uint64(11)
_S27 = np.uint64(27)
_S30 = np.uint64(30)
_S31 = np.uint64(31)
_ONE = np.uint64(1)
_TWO_POW_MINUS_53 = 1.0 / 9007199254740992.0
_TWO_PI = 2.0 * math.pi
_SQRT_HALF = math.sqrt(0.5)


@_compiled
def _uniform(key: np.uint64, counter: int) -> float:
    # SplitMix64: the state after counter + 1 steps is key + (counter + 1)·γ, then the mix.
    z = key + (np.uint64(counter) + _ONE) * _GAMMA
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    z = z ^ (z >> _S31)
    # Shifting to 53 bits fits an int64 exactly (a signed conversion is cheaper than an
    # unsigned one); the +0.5 keeps the uniform strictly inside (0, 1) for the logarithm.
    return (float(np.int64(z >> _S11)) + 0.5) * _TWO_POW_MINUS_53


@_compiled
def _normal(key: np.uint64, counter: int) -> float:
    # Box–Muller from the slot's two uniforms.
    radius = math.sqrt(-2.0 * math.log(_uniform(key, counter)))
    return radius * math.cos(_TWO_PI * _uniform(key, counter + 1))


@_compiled
def _occurrences(key: np.uint64, size: int, slots: int, slot: int) -> Any:
    out = np.empty(size)
    for k in range(size):
        out[k] = _uniform(key, k * slots + slot)
    return out


@_compiled
def _pert_row(mode: float, table: Any, row: Any) -> None:
    # The quantile function of one mode, interpolated between the two nearest table rows.
    shape = mode * MODE_STEPS
    lower = min(int(shape), MODE_STEPS - 1)
    across = shape - lower
    for t in range(PROBABILITY_STEPS + 1):
        row[t] = table[lower, t] + across * (table[lower + 1, t] - table[lower, t])


@_compiled
def _from_row(row: Any, u: float) -> float:
    position = u * PROBABILITY_STEPS
    column = min(int(position), PROBABILITY_STEPS - 1)
    value: float = row[column] + (position - column) * (row[column + 1] - row[column])
    return value


@_compiled
def _triangular(mode: float, u: float) -> float:
    if u < mode:
        return math.sqrt(u * mode)
    return 1.0 - math.sqrt((1.0 - u) * (1.0 - mode))


@_compiled
def _simulate(
    key: np.uint64,
    iterations: Any,
    slots: int,
    kind: Any,
    low: Any,
    span: Any,
    mode: Any,
    remaining: Any,
    release: Any,
    slot: Any,
    pred_ptr: Any,
    pred_index: Any,
    pred_lag: Any,
    driver_ptr: Any,
    driver_index: Any,
    driver_load: Any,
    own_load: Any,
    driver_slot: Any,
    risk_probability: Any,
    risk_kind: Any,
    risk_low: Any,
    risk_span: Any,
    risk_mode: Any,
    risk_slot: Any,
    item_risk_ptr: Any,
    item_risk_index: Any,
    workstream: Any,
    table: Any,
    full: bool,
    finish: Any,
    workstream_finish: Any,
    critical: Any,
    start_sum: Any,
    day_low: Any,
    day_ptr: Any,
    u_store: Any,
    u_sum: Any,
    u_squares: Any,
    early_finish: Any,
    early_start: Any,
    on_path: Any,
    day_counts: Any,
) -> Any:
    n = kind.shape[0]
    m = iterations.shape[0]
    drivers = driver_slot.shape[0]
    risks = risk_probability.shape[0]
    counter = iterations * slots
    factor = np.empty((drivers, m))
    for d in range(drivers):
        for j in range(m):
            factor[d, j] = _normal(key, counter[j] + driver_slot[d])
    delay = np.zeros((risks, m))
    row = np.empty(PROBABILITY_STEPS + 1)
    for r in range(risks):
        if risk_kind[r] == PERT:
            _pert_row(risk_mode[r], table, row)
        for j in range(m):
            if _uniform(key, counter[j] + risk_slot[r]) < risk_probability[r]:
                u = _uniform(key, counter[j] + risk_slot[r] + 1)
                if risk_kind[r] == PERT:
                    q = _from_row(row, u)
                elif risk_kind[r] == TRIANGULAR:
                    q = _triangular(risk_mode[r], u)
                else:
                    q = 0.0
                delay[r, j] = risk_low[r] + risk_span[r] * q
    start = np.empty(m)
    duration = np.empty(m)
    latent = np.empty(m)
    day = np.empty(m, dtype=np.int64)
    for i in range(n):
        # Durations of item i in every iteration of the chunk; each branch is its own loop
        # so that the compiler sees straight-line code inside.
        if kind[i] == FIXED:
            for j in range(m):
                duration[j] = low[i] * remaining[i]
        else:
            if driver_ptr[i + 1] > driver_ptr[i]:
                for j in range(m):
                    x = own_load[i] * _normal(key, counter[j] + slot[i])
                    for e in range(driver_ptr[i], driver_ptr[i + 1]):
                        x += driver_load[e] * factor[driver_index[e], j]
                    latent[j] = 0.5 * math.erfc(-x * _SQRT_HALF)
            else:
                for j in range(m):
                    latent[j] = _uniform(key, counter[j] + slot[i])
            if kind[i] == PERT:
                _pert_row(mode[i], table, row)
                for j in range(m):
                    duration[j] = (low[i] + span[i] * _from_row(row, latent[j])) * remaining[i]
            else:
                for j in range(m):
                    q = _triangular(mode[i], latent[j])
                    duration[j] = (low[i] + span[i] * q) * remaining[i]
            if full:
                for j in range(m):
                    u_store[i, j] = latent[j]
                u_sum[i] += _total(latent, m, False)
                u_squares[i] += _total(latent, m, True)
        for e in range(item_risk_ptr[i], item_risk_ptr[i + 1]):
            r = item_risk_index[e]
            for j in range(m):
                duration[j] += delay[r, j]
        # Forward pass: start after the latest predecessor (plus lag), never before release.
        for j in range(m):
            start[j] = release[i]
        for e in range(pred_ptr[i], pred_ptr[i + 1]):
            p = pred_index[e]
            lag = pred_lag[e]
            for j in range(m):
                start[j] = max(start[j], early_finish[p, j] + lag)
        for j in range(m):
            end = start[j] + duration[j]
            early_finish[i, j] = end
            finish[j] = max(finish[j], end)
        if full:
            for j in range(m):
                early_start[i, j] = start[j]
                on_path[i, j] = 0
            start_sum[i] += _total(start, m, False)
            w = workstream[i]
            if w >= 0:
                for j in range(m):
                    workstream_finish[w, j] = max(workstream_finish[w, j], early_finish[i, j])
            # Finish days of item i, counted over the range this chunk saw, while its row
            # is still in the cache. Integer minimum and maximum vectorise; float ones do not.
            lowest = 0
            highest = 0
            for j in range(m):
                day[j] = math.ceil(early_finish[i, j] - EPSILON)
            if m > 0:
                lowest = day[0]
                highest = day[0]
            for j in range(m):
                lowest = min(lowest, day[j])
                highest = max(highest, day[j])
            width = highest - lowest + 1 if m > 0 else 0
            first = day_ptr[i]
            if first + width > day_counts.shape[0]:
                grown = np.empty(max(2 * day_counts.shape[0], first + width), dtype=np.int64)
                grown[:first] = day_counts[:first]
                day_counts = grown
            for k in range(first, first + width):
                day_counts[k] = 0
            for j in range(m):
                day_counts[first + day[j] - lowest] += 1
            day_low[i] = lowest
            day_ptr[i + 1] = first + width
    if not full:
        return day_counts
    # Reverse sweep: an item is critical in an iteration when it ends last, or when it drives
    # (ends exactly at the start of, lag included) a successor that is critical.
    for i in range(n - 1, -1, -1):
        count = 0
        for j in range(m):
            flag = on_path[i, j] | np.uint8(early_finish[i, j] >= finish[j] - EPSILON)
            on_path[i, j] = flag
            count += flag
        critical[i] += count
        if count == 0:
            continue
        for e in range(pred_ptr[i], pred_ptr[i + 1]):
            p = pred_index[e]
            lag = pred_lag[e]
            for j in range(m):
                drives = early_finish[p, j] + lag >= early_start[i, j] - EPSILON
                on_path[p, j] |= on_path[i, j] & np.uint8(drives)
    return day_counts


@_compiled
def _total(values: Any, m: int, squares: bool) -> float:
    # Four running sums in a fixed order: the same result everywhere, without one long chain
    # of dependent additions.
    s0 = s1 = s2 = s3 = 0.0
    body = m - m % 4
    if squares:
        for j in range(0, body, 4):
            s0 += values[j] * values[j]
            s1 += values[j + 1] * values[j + 1]
            s2 += values[j + 2] * values[j + 2]
            s3 += values[j + 3] * values[j + 3]
        for j in range(body, m):
            s0 += values[j] * values[j]
    else:
        for j in range(0, body, 4):
            s0 += values[j]
            s1 += values[j + 1]
            s2 += values[j + 2]
            s3 += values[j + 3]
        for j in range(body, m):
            s0 += values[j]
    return (s0 + s1) + (s2 + s3)


@_compiled
def _rank_products(finish: Any, u_store: Any, u_rank: Any) -> tuple[float, float]:
    # Normalised mid-ranks of the finish within the chunk, then Σ_k u[i, k]·rank[k] per item.
    size = finish.shape[0]
    order = np.argsort(finish, kind="mergesort")
    rank = np.empty(size)
    first = 0
    while first < size:
        last = first + 1
        while last < size and finish[order[last]] == finish[order[first]]:
            last += 1
        mid = (0.5 * (first + last - 1) + 0.5) / size
        for j in range(first, last):
            rank[order[j]] = mid
        first = last
    rank_sum = 0.0
    rank_squares = 0.0
    for k in range(size):
        rank_sum += rank[k]
        rank_squares += rank[k] * rank[k]
    body = size - size % 4
    for i in range(u_store.shape[0]):
        # Four running sums, as in _total: a fixed order without one long dependency chain.
        s0 = s1 = s2 = s3 = 0.0
        for k in range(0, body, 4):
            s0 += u_store[i, k] * rank[k]
            s1 += u_store[i, k + 1] * rank[k + 1]
            s2 += u_store[i, k + 2] * rank[k + 2]
            s3 += u_store[i, k + 3] * rank[k + 3]
        for k in range(body, size):
            s0 += u_store[i, k] * rank[k]
        u_rank[i] = (s0 + s1) + (s2 + s3)
    return rank_sum, rank_squares


@_compiled
def cpm_passes(
    pred_ptr: Any, pred_index: Any, pred_lag: Any, release: Any, durations: Any
) -> tuple[Any, Any, Any, Any]:
    """Forward and backward CPM passes over a network in topological order (compiled).

    Returns early start, early finish, late start and late finish; items with no successor
    end at the overall finish in the backward pass.

    Usage: ``cpm_passes(spec.pred_ptr, spec.pred_index, spec.pred_lag, spec.release, d)``.
    """
    n = durations.shape[0]
    early_start = np.zeros(n)
    early_finish = np.zeros(n)
    for i in range(n):
        start = release[i]
        for e in range(pred_ptr[i], pred_ptr[i + 1]):
            start = max(start, early_finish[pred_index[e]] + pred_lag[e])
        early_start[i] = start
        early_finish[i] = start + durations[i]
    finish = 0.0
    for i in range(n):
        finish = max(finish, early_finish[i])
    late_finish = np.full(n, finish)
    late_start = np.zeros(n)
    for i in range(n - 1, -1, -1):
        late_start[i] = late_finish[i] - durations[i]
        for e in range(pred_ptr[i], pred_ptr[i + 1]):
            p = pred_index[e]
            late_finish[p] = min(late_finish[p], late_start[i] - pred_lag[e])
    return early_start, early_finish, late_start, late_finish
