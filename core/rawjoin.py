"""Rows of a hand-written SQL join loaded as model instances, as ``select_related`` would load them.

For the few queries that run on every view of the busiest pages: the ORM spends more CPU building such a
query (cloning querysets, resolving joins and annotations, compiling) than the database spends answering it
— about 1 ms per query on the forum topic page (docs/performance.md). Here the SQL is written once and the
values go through the same database converters the ORM applies (dates on SQLite, booleans, JSON...), then
``Model.from_db``, so the instances behave like ORM-loaded ones (fields not selected are deferred).

    TOPIC = Part(Topic, "t", ["id", "title", "category_id", ...])
    rows = select(f"SELECT {columns(TOPIC, CATEGORY)} FROM ... WHERE t.id = %s", [pk], TOPIC, CATEGORY)
    topic, category = rows[0]

A part whose primary key comes back NULL (an outer join that found nothing) loads as ``None``. Extra
values selected after every part's columns come back at the end of each row, unconverted.

Instances are built the way ``Model.from_db`` leaves them (``_state`` of a loaded row, one attribute per selected
column, the others deferred) without going through ``Model.__init__``, which cost 11.6 µs an instance here against
1.8 µs, and a forum page loads some fifty. Only where that is the same thing: no ``pre_init``/``post_init``
receivers for the model, ``__init__`` and ``from_db`` not overridden, and every selected column behind one of
Django's plain field descriptors (which store the value as is); otherwise ``from_db`` is called.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init


@dataclass(frozen=True)
class Part:
    """One model of the join: its table alias in the SQL and the attnames selected (primary key first; they are
    selected in the model's field order, whatever the order given)."""

    model: type[Model]
    alias: str
    fields: Sequence[str]
    _columns: list[Any] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self):
        pk = self.model._meta.pk.attname
        if not self.fields or self.fields[0] != pk:
            raise ValueError(f"{self.model.__name__}: the primary key ({pk}) must be selected first")
        concrete = self.model._meta.concrete_fields
        known = {f.attname for f in concrete}
        unknown = [name for name in self.fields if name not in known]
        if unknown:
            raise ValueError(f"{self.model.__name__} has no column for {unknown}")
        # Model.from_db reads a partial row in the model's field order: select the columns in that order.
        wanted = set(self.fields)
        ordered = [f for f in concrete if f.attname in wanted]
        object.__setattr__(self, "fields", tuple(f.attname for f in ordered))
        self._columns.extend(ordered)

    @classmethod
    def every_column(cls, model: type[Model], alias: str) -> Part:
        """A part selecting all of the model's columns."""
        return cls(
            model,
            alias,
            [model._meta.pk.attname, *(f.attname for f in model._meta.concrete_fields if not f.primary_key)],
        )

    @property
    def plain(self) -> bool:
        """Whether instances may be built without ``Model.__init__`` (see the module's docstring)."""
        found = _PLAIN.get((self.model, self.fields))
        if found is None:
            model = self.model
            found = _PLAIN[(model, self.fields)] = (
                model.__init__ is Model.__init__
                and model.from_db.__func__ is Model.from_db.__func__
                and all(
                    type(inspect.getattr_static(model, name, None)) in _PLAIN_DESCRIPTORS
                    for name in self.fields
                )
            )
        return found and not (pre_init.has_listeners(self.model) or post_init.has_listeners(self.model))

    def sql(self, connection) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self._columns)


def columns(*parts: Part, using: str = "default") -> str:
    """The select list of every part, in order."""
    connection = connections[using]
    return ", ".join(part.sql(connection) for part in parts)


# Descriptors whose __set__ on a new instance stores the value in __dict__ and nothing else (DeferredAttribute has
# no __set__ at all). ImageField's descriptor, which also fills width and height, is not among them.
_PLAIN_DESCRIPTORS = {DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor}
_PLAIN: dict[tuple[type[Model], tuple[str, ...]], bool] = {}


def _instance(model: type[Model], using: str, names: Sequence[str], values: list[Any]) -> Model:
    """What ``model.from_db(using, names, values)`` returns, for a part that is ``plain``."""
    instance = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = using
    instance._state = state
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


_Converters = list[tuple[int, Any, list[Callable]]]
_CONVERTERS: dict[tuple[str, str, type[Model], tuple[str, ...]], _Converters] = {}


def _converters(connection, part: Part) -> _Converters:
    """(index, column expression, converters) of the part's columns that need converting, worked out once."""
    key = (connection.alias, connection.vendor, part.model, tuple(part.fields))
    found = _CONVERTERS.get(key)
    if found is None:
        found = []
        for index, f in enumerate(part._columns):
            expression = f.get_col(part.alias)
            chain = connection.ops.get_db_converters(expression) + f.get_db_converters(connection)
            if chain:
                found.append((index, expression, chain))
        _CONVERTERS[key] = found
    return found


def select(sql: str, params: Sequence[Any], *parts: Part, using: str = "default") -> list[list[Any]]:
    """Run ``sql`` and return, per row, one instance (or None) per part followed by any extra values."""
    connection = connections[using]
    converters = [_converters(connection, part) for part in parts]
    plain = [part.plain for part in parts]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    loaded = []
    for row in rows:
        out: list[Any] = []
        start = 0
        for part, part_converters, part_plain in zip(parts, converters, plain, strict=True):
            values = list(row[start : start + len(part.fields)])
            start += len(part.fields)
            if values[0] is None:
                out.append(None)
                continue
            for index, expression, chain in part_converters:
                value = values[index]
                for convert in chain:
                    value = convert(value, expression, connection)
                values[index] = value
            if part_plain:
                out.append(_instance(part.model, using, part.fields, values))
            else:
                out.append(part.model.from_db(using, part.fields, values))
        out.extend(row[start:])
        loaded.append(out)
    return loaded
