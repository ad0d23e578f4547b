"""Reading a library file's YAML: every mapping and list keeps its line numbers, and a file that
would cost too much (an alias bomb, deep nesting, a 5,000-digit number) is refused with a clear
problem before any Python value is built from it.

libyaml (when PyYAML has it) turns the text into events; the composer below builds the node
tree from those events and measures it as it goes: nesting depth, aliases used, and the size
the tree would have once every alias is expanded. Only a tree within the caps is constructed.
"""

import re
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from frontline.i18n import N_
from standards.library_file.problems import ImportProblem, problem, short

# The format nests 9 levels (library, standards, standard, versions, version, phrases, phrase,
# variants, variant); 20 leaves room and still keeps the recursive constructor shallow.
MAX_DEPTH = 20
# The format needs no aliases at all; a few `<<: *defaults` merges in a hand-written file are
# fine, a billion-laughs chain is not. The expanded-size cap below is what stops the bomb.
MAX_ALIASES = 100
# Values (scalars, lists, mappings) after aliases are expanded: a 1 MiB library has ~50,000.
MAX_VALUES = 200_000
MAX_DIGITS = 100
# C0 controls other than tab and line ends, DEL, and lone surrogates (which no database stores).
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

try:
    from yaml._yaml import CParser as _EventSource
except ImportError:  # PyYAML built without libyaml: the same events, more slowly
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _EventSource(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers the line (1-based) where it starts and where each key is."""

    line: int = 1
    lines: dict[Any, int]

    def __init__(self) -> None:
        super().__init__()
        self.lines = {}


class LineList(list[Any]):
    """A YAML sequence that remembers the line where it starts and where each item starts."""

    line: int = 1
    item_lines: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.item_lines = []


class FileRefused(Exception):
    """The file is refused as a whole, before its values are built."""

    def __init__(self, refusal: ImportProblem) -> None:
        super().__init__(refusal.text)
        self.problem = refusal


def _line(node_or_event: Any) -> int:
    return int(node_or_event.start_mark.line) + 1


class _MeasuringComposer(Composer):
    """PyYAML's composer, refusing a tree too deep, with too many aliases, or too big expanded."""

    peek_event: Callable[[], Any]  # from the parser it is mixed with

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.alias_count = 0
        # id(node) -> (values in the node once aliases are expanded, its expanded height)
        self.measures: dict[int, tuple[int, int]] = {}

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        line = _line(event)
        if isinstance(event, AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise FileRefused(
                    problem(
                        line,
                        N_(
                            "The file uses more than %(max)s aliases (*name); write the values out."
                        ),
                        max=MAX_ALIASES,
                    )
                )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FileRefused(_too_deep(line))
        node = super().compose_node(parent, index)
        assert node is not None  # only a document without content composes to None
        self.depth -= 1
        measure = self.measures.get(id(node))
        if measure is None:
            if isinstance(event, AliasEvent):  # its anchor is still open: it contains itself
                raise FileRefused(
                    problem(line, N_("An alias (*name) refers to the list or mapping it is in."))
                )
            measure = self.measures[id(node)] = self._measure(node)
        size, height = measure
        if size > MAX_VALUES:
            raise FileRefused(
                problem(
                    line,
                    N_("The file has more than %(max)s values once its aliases are expanded."),
                    max=f"{MAX_VALUES:,}",
                )
            )
        if self.depth + height > MAX_DEPTH:
            raise FileRefused(_too_deep(line))
        return node

    def _measure(self, node: Node) -> tuple[int, int]:
        if isinstance(node, SequenceNode):
            children = [self.measures[id(item)] for item in node.value]
        elif isinstance(node, MappingNode):
            children = [self.measures[id(part)] for pair in node.value for part in pair]
        else:
            return 1, 1
        return 1 + sum(s for s, _ in children), 1 + max((h for _, h in children), default=0)


def _too_deep(line: int) -> ImportProblem:
    return problem(
        line, N_("Lists and mappings are nested more than %(max)s levels deep."), max=MAX_DEPTH
    )


class _Loader(_MeasuringComposer, _EventSource, SafeConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        _EventSource.__init__(self, stream)
        _MeasuringComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.problems: list[ImportProblem] = []

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError):  # a float or a tag's value Python cannot read
            self.recursive_objects.pop(node, None)
            self.constructed_objects[node] = None
            self.problems.append(
                problem(
                    _line(node),
                    N_("%(value)s cannot be read as %(type)s."),
                    value=short(node.value) if isinstance(node, ScalarNode) else "…",
                    type=short(node.tag.rsplit(":", 1)[-1]),
                )
            )
            return None


def _construct_mapping(loader: _Loader, node: MappingNode) -> Iterable[LineDict]:
    data = LineDict()
    data.line = _line(node)
    yield data
    own_keys = {id(key_node) for key_node, _ in node.value}
    loader.flatten_mapping(node)  # `<<: *anchor` merges come first; the mapping's own keys win
    merged: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = _line(key_node)
        if not isinstance(key, Hashable):
            loader.problems.append(problem(line, N_("A key must be a plain word.")))
            continue
        if id(key_node) not in own_keys:
            merged.add(key)
        elif key in merged:
            merged.discard(key)
        elif key in data:
            loader.problems.append(
                problem(
                    line,
                    N_("%(key)s: this key appears twice; it is already on line %(other)s."),
                    key=short(key),
                    other=data.lines[key],
                )
            )
            continue
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = line


def _construct_sequence(loader: _Loader, node: SequenceNode) -> Iterable[LineList]:
    data = LineList()
    data.line = _line(node)
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(_line(item))


def _construct_text(loader: _Loader, node: ScalarNode) -> str:
    """Text with its line ends made `\\n`; control characters are a problem, and dropped."""
    text = str(loader.construct_scalar(node)).replace("\r\n", "\n").replace("\r", "\n")
    found = _FORBIDDEN_CHARS.search(text)
    if found:
        loader.problems.append(
            problem(
                _line(node),
                N_("Text may not contain control characters (here U+%(code)s)."),
                code=f"{ord(found.group()):04X}",
            )
        )
        text = _FORBIDDEN_CHARS.sub("", text)
    return text


def _construct_int(loader: _Loader, node: ScalarNode) -> int | None:
    digits = sum(ch.isdigit() for ch in str(node.value))
    if digits > MAX_DIGITS:
        loader.problems.append(
            problem(
                _line(node),
                N_("A number may have at most %(max)s digits (this one has %(count)s)."),
                max=MAX_DIGITS,
                count=digits,
            )
        )
        return None
    return int(loader.construct_yaml_int(node))


def _construct_timestamp(loader: _Loader, node: ScalarNode) -> Any:
    """A date-like value that is no real date (2025-02-30) stays text, for the field to refuse."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)  # type: ignore[type-var]
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)  # type: ignore[type-var]
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_text)  # type: ignore[type-var]
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)  # type: ignore[type-var]
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)  # type: ignore[type-var]


def load(text: str) -> tuple[Any, list[ImportProblem]]:
    """The file's data (LineDict/LineList inside) and the problems found reading it.

    When the data is None and there are problems, the file could not be read at all.
    """
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters here
        return loader.get_single_data(), loader.problems
    except FileRefused as exc:
        return None, [exc.problem]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        return None, [
            problem(
                line,
                N_("This is not valid YAML: %(problem)s."),
                problem=short(
                    f"{exc.reason} (U+{exc.character:04X})"
                    if isinstance(exc.character, int)
                    else exc.reason,
                    80,
                ),
            )
        ]
    except yaml.YAMLError as exc:
        return None, [
            problem(1, N_("This is not valid YAML: %(problem)s."), problem=short(str(exc), 80))
        ]
    finally:
        if loader is not None:
            loader.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError) -> ImportProblem:
    mark = exc.problem_mark or exc.context_mark
    line = int(mark.line) + 1 if mark else 1
    what = exc.problem or "syntax error"
    if exc.context:
        what += f" ({exc.context}"
        if exc.context_mark and int(exc.context_mark.line) + 1 != line:
            what += f" on line {int(exc.context_mark.line) + 1}"
        what += ")"
    # libyaml's words are English and name no user value beyond a character or two.
    return problem(line, N_("This is not valid YAML: %(problem)s."), problem=short(what, 200))
