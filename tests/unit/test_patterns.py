"""Every pattern-validated field tests the whole value: `^…$` with `re.match` accepts a trailing
newline ("X\\n" as "X"), which made two items of one id. The walk finds every Regexp validator of
every schema, so a field added later with a plain `validate.Regexp` fails here."""

import importlib
import pkgutil

import pytest
from marshmallow import Schema, ValidationError, fields, validate

import chalicelib.schemas
from chalicelib import domains
from chalicelib.domains.businesses.schemas import NAME_PATTERN as BUSINESS_NAME
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.ids import new_id
from chalicelib.schemas.common import WholeMatch

# A valid value of each pattern (a pattern without one fails the test: add it here).
SAMPLES = {
    ID_PATTERN: new_id(),
    r"^[A-Za-z0-9_-]{16,64}$": "a" * 20,
    r"\A\S{1,64}\Z": "123456",
    r"^[0-9]{6}$": "123456",
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "hip-mobility",
    r"^[a-z][a-z0-9_]{0,39}$": "hang_seconds",
    r"^[A-Za-z0-9_-]{1,64}$": "media-1",
    BUSINESS_NAME: "Riverside Gym",
}


def _schema_modules():
    """The shared schemas and every installed domain's schema modules."""
    for module_info in pkgutil.iter_modules(chalicelib.schemas.__path__):
        yield f"chalicelib.schemas.{module_info.name}"
    for name in domains.INSTALLED:
        package = importlib.import_module(f"chalicelib.domains.{name}")
        for module_info in pkgutil.iter_modules(package.__path__):
            if module_info.name.endswith("schemas"):
                yield f"chalicelib.domains.{name}.{module_info.name}"


def _schemas():
    for module_name in _schema_modules():
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                yield value


def _fields(field):
    yield field
    if isinstance(field, fields.List):
        yield from _fields(field.inner)
    if isinstance(field, fields.Dict) and field.key_field is not None:
        yield from _fields(field.key_field)


def _regexps():
    found = {}
    for schema in _schemas():
        for name, declared in schema._declared_fields.items():
            for field in _fields(declared):
                for validator in field.validators:
                    if isinstance(validator, validate.Regexp):
                        found[f"{schema.__name__}.{name}:{validator.regex.pattern}"] = validator
    return found


REGEXPS = _regexps()


def test_the_walk_finds_the_id_fields():
    assert any(key.startswith("RecordMeta.id:") for key in REGEXPS)
    assert len(REGEXPS) >= 8


@pytest.mark.parametrize("key", sorted(REGEXPS))
def test_a_trailing_newline_fails_every_pattern_validated_field(key):
    validator = REGEXPS[key]
    pattern = validator.regex.pattern
    assert isinstance(validator, WholeMatch), f"{key}: use WholeMatch, not validate.Regexp"
    sample = SAMPLES[pattern]
    assert validator(sample) == sample
    for suffix in ("\n", "\r\n", " "):
        with pytest.raises(ValidationError):
            validator(sample + suffix)
