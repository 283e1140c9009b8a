"""One facade class per service, usable on the sync and the async client alike.

A facade method is written once, as a *prepare* function: it validates the
keyword arguments, builds the request and returns a
:class:`~cbss_sdk._prepared.PreparedCall`.  The :func:`operation` decorator
turns it into a method that sends the call through whatever client the
facade was built on: on a :class:`~cbss_sdk.CbssClient` it returns the
result, on an :class:`~cbss_sdk.AsyncCbssClient` an awaitable of it.  The
type checker knows which (overloads on the facade's client type), so
``RetrieveTIGroups(client).retrieve(...)`` is typed as the result and
``await RetrieveTIGroups(async_client).retrieve(...)`` as well.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, Generic, ParamSpec, TypeVar, overload

import attrs

from .. import catalog
from .._client import AsyncCbssClient, CbssClient
from .._prepared import PreparedCall

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Facade", "Page", "operation", "paged_operation"]

C = TypeVar("C", CbssClient, AsyncCbssClient)
P = ParamSpec("P")
T = TypeVar("T")


class Facade(Generic[C]):
    """Base of every service facade: holds the client and the catalog entry of the service."""

    service_key: ClassVar[str]

    def __init__(self, client: C) -> None:
        if not isinstance(client, (CbssClient, AsyncCbssClient)):
            raise TypeError(
                f"{type(self).__name__} needs a CbssClient or AsyncCbssClient, "
                f"not {type(client).__name__}"
            )
        self._client: C = client
        self._spec = catalog.service(self.service_key)

    @property
    def client(self) -> C:
        return self._client

    @property
    def spec(self) -> catalog.ServiceSpec:
        """The catalog entry of this service (operations, versions, provenance)."""
        return self._spec

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"


class operation(Generic[P, T]):
    """Decorator for a facade's prepare function; see the module docstring."""

    def __init__(self, prepare: Callable[Concatenate[Any, P], PreparedCall[T]]) -> None:
        self._prepare = prepare
        functools.update_wrapper(self, prepare)  # type: ignore[arg-type]

    @overload
    def __get__(self, obj: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(
        self, obj: Facade[CbssClient], owner: type[Any] | None = None
    ) -> Callable[P, T]: ...

    @overload
    def __get__(
        self, obj: Facade[AsyncCbssClient], owner: type[Any] | None = None
    ) -> Callable[P, Awaitable[T]]: ...

    def __get__(self, obj: Any, owner: type[Any] | None = None) -> Any:
        if obj is None:
            return self
        prepare = self._prepare
        client = obj._client

        if isinstance(client, AsyncCbssClient):

            async def call_async(*args: P.args, **kwargs: P.kwargs) -> T:
                prepared = prepare(obj, *args, **kwargs)
                return await client.call(prepared.info, prepared.payload, prepared.interpret)

            return functools.wraps(prepare)(call_async)

        def call_sync(*args: P.args, **kwargs: P.kwargs) -> T:
            prepared = prepare(obj, *args, **kwargs)
            result: T = client.call(prepared.info, prepared.payload, prepared.interpret)
            return result

        return functools.wraps(prepare)(call_sync)

    def prepare(self, facade: Facade[Any], *args: P.args, **kwargs: P.kwargs) -> PreparedCall[T]:
        """Build the call without sending it (used by tests, the simulator and dry runs)."""
        return self._prepare(facade, *args, **kwargs)


@attrs.frozen
class Page(Generic[T]):
    """One page of a paged CBSS answer: its items and the reference of the next page (if any)."""

    items: tuple[T, ...]
    next_reference: str | None = None


class paged_operation(Generic[P, T]):
    """Decorator for a facade's prepare function of a PAGED operation.

    The prepare function takes a keyword ``page_reference: str | None = None``
    (``None`` for the first page) and returns a ``PreparedCall[Page[T]]``.
    The public method, with the same arguments, returns an iterator over the
    items of every page from that one on (an async iterator on an
    ``AsyncCbssClient``); pages are fetched lazily, one call per page, when
    the iteration reaches them.  Passing ``page_reference`` resumes a listing.
    """

    def __init__(self, prepare: Callable[Concatenate[Any, P], PreparedCall[Page[T]]]) -> None:
        self._prepare = prepare
        functools.update_wrapper(self, prepare)  # type: ignore[arg-type]

    @overload
    def __get__(self, obj: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(
        self, obj: Facade[CbssClient], owner: type[Any] | None = None
    ) -> Callable[P, Iterator[T]]: ...

    @overload
    def __get__(
        self, obj: Facade[AsyncCbssClient], owner: type[Any] | None = None
    ) -> Callable[P, AsyncIterator[T]]: ...

    def __get__(self, obj: Any, owner: type[Any] | None = None) -> Any:
        if obj is None:
            return self
        prepare: Callable[..., PreparedCall[Page[T]]] = self._prepare
        client = obj._client

        if isinstance(client, AsyncCbssClient):

            async def iterate_async(*args: Any, **kwargs: Any) -> AsyncIterator[T]:
                reference: str | None = kwargs.pop("page_reference", None)
                while True:
                    prepared = prepare(obj, *args, page_reference=reference, **kwargs)
                    page: Page[T] = await client.call(
                        prepared.info, prepared.payload, prepared.interpret
                    )
                    for item in page.items:
                        yield item
                    if not page.next_reference or page.next_reference == reference:
                        return
                    reference = page.next_reference

            return functools.wraps(prepare)(iterate_async)

        def iterate(*args: Any, **kwargs: Any) -> Iterator[T]:
            reference: str | None = kwargs.pop("page_reference", None)
            while True:
                prepared = prepare(obj, *args, page_reference=reference, **kwargs)
                page: Page[T] = client.call(prepared.info, prepared.payload, prepared.interpret)
                yield from page.items
                if not page.next_reference or page.next_reference == reference:
                    return
                reference = page.next_reference

        return functools.wraps(prepare)(iterate)

    def prepare(
        self, facade: Facade[Any], *args: P.args, **kwargs: P.kwargs
    ) -> PreparedCall[Page[T]]:
        """Build the call for one page (``page_reference=``) without sending it."""
        return self._prepare(facade, *args, **kwargs)
