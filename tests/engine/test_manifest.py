"""The manifest's schema: every key known and typed, each mistake named."""

import pytest

from workshop.manifest import ManifestError, parse_manifest

VALID = """
[workshop]
title = "Drills"

[[step]]
number = 0
slug = "start"
title = "Start"
part = "setup"
bullet = "Getting started"
teach = 5
exercise = 10
task = "write f()"
gives = ["tests/data/a.csv"]
"""


def test_a_valid_manifest_gives_typed_steps():
    manifest = parse_manifest(VALID)
    assert manifest.title == "Drills" and manifest.last_number == 0
    (step,) = manifest.steps
    assert (step.tag, step.minutes, step.gives) == (
        "step-00",
        15,
        ("tests/data/a.csv",),
    )


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("teach = 5", 'teach = "ten"', "step entry 1: key 'teach'"),
        ("teach = 5", "teach = 5\ncolour = 1", "step entry 1: unknown key 'colour'"),
        (
            'title = "Drills"',
            'title = "Drills"\nlats = 3',
            "[workshop]: unknown key 'lats'",
        ),
        ('task = "write f()"', "", "step entry 1: lacks key 'task'"),
        ('slug = "start"', 'slug = "Start Here"', "step entry 1: key 'slug'"),
        ('gives = ["tests/data/a.csv"]', 'gives = "tests/data/a.csv"', "key 'gives'"),
    ],
)
def test_an_unknown_key_or_a_wrong_type_is_an_error_naming_the_key(old, new, named):
    assert old in VALID
    with pytest.raises(ManifestError) as refused:
        parse_manifest(VALID.replace(old, new))
    assert named in str(refused.value)
