"""Results cannot drift from the generated models: every attribute of every generated response model
reaches the user as a result field or in ``extra`` under its JSON name (renamed ones such as
``type_`` included), and no result class shows a field the generated model does not have."""

from __future__ import annotations

import inspect
from typing import Any

import attrs
import pytest
import upstash_workflow_api.models as api_models

from tests.test_contract import OPERATIONS, SPEC, assert_kept
from upstash_workflow.rest import _results
from upstash_workflow.rest.testing import LocalQStash

RESULT_CLASSES = [
    cls
    for _, cls in inspect.getmembers(_results, inspect.isclass)
    if attrs.has(cls) and cls.__module__ == _results.__name__ and "extra" in attrs.fields_dict(cls)
]
GENERATED: dict[str, Any] = {
    name: cls for name, cls in inspect.getmembers(api_models, inspect.isclass) if attrs.has(cls)
}
SCHEMA_OF = {cls: name for name, cls in _results.RESULTS.items()}  # result class -> its schema


SCALAR_SAMPLES = {"string": "s", "integer": 7, "number": 1.5, "boolean": True}


def sample(schema: dict[str, Any]) -> Any:
    """One body with every property filled (two entries in maps, one in arrays)."""
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    kind = schema.get("type")
    if kind == "array":
        return [sample(schema["items"])]
    if kind == "object" and schema.get("properties"):
        return {name: sample(sub) for name, sub in schema["properties"].items()}
    if kind == "object":  # a map
        return {key: sample(schema.get("additionalProperties", {})) for key in ("X-One", "x-two")}
    return SCALAR_SAMPLES.get(kind or "", {"any": [1]})


def test_every_result_class_has_a_generated_model() -> None:
    assert len(RESULT_CLASSES) >= 17
    assert set(SCHEMA_OF) == set(RESULT_CLASSES), "list the result class in _results.RESULTS"
    for cls, name in SCHEMA_OF.items():
        assert name in GENERATED, f"{cls.__name__}: no generated model {name}"


@pytest.mark.parametrize("cls", RESULT_CLASSES, ids=lambda cls: cls.__name__)
def test_fields_map_to_generated_attributes(cls: type[Any]) -> None:
    model = GENERATED[SCHEMA_OF[cls]]
    attributes = {a.name for a in attrs.fields(model)} - {"additional_properties"}
    assert set(model.wire_names) == attributes  # the template lists every property
    shown = {_results.result_field(attribute) for attribute in attributes}
    told_by_client = {f.name for f in attrs.fields(cls) if f.metadata.get(_results.CLIENT_SIDE)}
    invented = set(attrs.fields_dict(cls)) - {"extra"} - told_by_client - shown
    assert not invented, f"{cls.__name__} shows fields the spec does not have: {invented}"


@pytest.mark.parametrize("cls", RESULT_CLASSES, ids=lambda cls: cls.__name__)
def test_every_generated_attribute_reaches_the_user(cls: type[Any]) -> None:
    model = GENERATED[SCHEMA_OF[cls]]
    body = sample({"$ref": f"#/components/schemas/{SCHEMA_OF[cls]}"})
    assert set(body) == set(model.wire_names.values())
    result = _results.convert(model, body)
    assert isinstance(result, cls)
    assert_kept(body, result)
    for attribute, wire in model.wire_names.items():
        name = _results.result_field(attribute)
        reached = getattr(result, name) if name in attrs.fields_dict(cls) else result.extra[wire]
        assert reached is not None, f"{cls.__name__}.{attribute} ({wire}) got lost"


def test_renamed_attributes_are_shown_under_their_json_name() -> None:
    renamed = {
        (name, attribute)
        for name, model in GENERATED.items()
        for attribute in getattr(model, "wire_names", {})
        if _results.result_field(attribute) != attribute
    }
    assert ("StepLogGroup", "type_") in renamed
    for name, attribute in renamed:
        cls = _results.result_class_for(GENERATED[name])
        if cls is not None:
            assert _results.result_field(attribute) in attrs.fields_dict(cls)
    group = _results.convert(api_models.StepLogGroup, {"type": "parallel", "steps": []})
    assert group.type == "parallel" and group.extra == {}


def test_every_operation_reads_into_a_result_class_or_trigger_result() -> None:
    # The top-level schema of each JSON answer has a result class, except trigger's BatchResult.
    names = set()
    for op in OPERATIONS:
        response = SPEC["paths"][op.path][op.method]["responses"]["200"]
        if "$ref" in response:
            response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        schema = response["content"]["application/json"]["schema"]
        schema = schema["oneOf"][0] if "oneOf" in schema else schema.get("items", schema)
        names.add(schema["$ref"].rsplit("/", 1)[1])
    assert names - set(_results.RESULTS) == {"BatchResult"}


def test_step_log_group_type_through_local_qstash() -> None:
    from upstash_workflow.rest import Client

    with LocalQStash() as server, Client(token=server.token, base_url=server.url) as client:
        client.trigger(url="https://my-app.com/wf", workflow_run_id="t")
        (run,) = client.logs(workflow_run_id="wfr_t").runs
        assert [group.type for group in run.steps] == ["sequential"]


def test_a_result_class_declares_a_required_field_by_giving_it_no_default() -> None:
    @attrs.frozen
    class StepLogGroup:  # the name of a generated model; `type` without a default: required
        type: str
        steps: list[Any] = attrs.field(factory=list)
        extra: dict[str, Any] = attrs.field(factory=dict)

    model = api_models.StepLogGroup
    assert _results.convert(model, {"type": "next"}, "", StepLogGroup) == StepLogGroup("next")
    for body in ({}, {"type": None}):
        with pytest.raises(_results.ResponseShapeError, match=r"runs\[0\]\.type is missing"):
            _results.convert(model, body, "runs[0]", StepLogGroup)


def test_no_result_class_of_the_covered_operations_requires_a_field() -> None:
    from tests.test_contract import _response_schemas

    covered = set(_response_schemas())
    for cls in RESULT_CLASSES:
        if cls.__name__ not in covered:
            continue
        required = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]
        assert required == [], f"{cls.__name__}: {required} (README Responses: nothing is required)"
