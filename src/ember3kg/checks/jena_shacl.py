"""Run Apache Jena's SHACL validator (Debian's ``libapache-jena-java``) on a data file.

Jena validates a million triples in a fraction of pySHACL's time and memory, so
:func:`ember3kg.checks.validate.validate` uses it on large data (see ``--engine``). This module
only prepares Jena's class path, runs it and hands back its report graph; the
project's report is built from it the same way as from pySHACL's.

Set-up, once per installation (``make jena``: ``python -m ember3kg.checks.jena_shacl``, or on
first use wherever Debian's Jena is installed, :func:`unavailable`): Debian's
Jena 4.5.0 dies at start-up with "internal error" because ``jena-core.jar`` keeps the
message bundles of its embedded Xerces under ``org/apache/jena/ext/xerces/`` while the
classes look them up under ``xerces/``. :func:`set_up` writes a small jar holding copies
of those bundles at the expected path, and the class path (that jar first, then the jars
of Jena and of the Debian packages it depends on), into :func:`home`. It then runs one small
validation with the JVM recording the classes it loads (a class-data-sharing archive,
:data:`ARCHIVE`), so that later runs map them instead of loading them: a third less start-up
time (1.12 s to 0.76 s for a tiny validation here, 2.08 s to 1.80 s on the packaged data).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ember3kg.errors import DataError, OutputError
from ember3kg.io.outputs import make_directory, staged_files, write_atomic

#: The Debian package that ships Jena, and the jar that shows it is installed.
JENA_PACKAGE = "libapache-jena-java"
DEBIAN_CORE_JAR = Path("/usr/share/java/jena-core.jar")
#: Where ``jena-core.jar`` keeps the message bundles, and where its classes look for them.
_BUNDLES_KEPT, _BUNDLES_LOOKED_UP = "org/apache/jena/ext/xerces/", "xerces/"
#: Logging bridges of slf4j that must not share a class path (only the API and the silent binding stay).
_CLASH = re.compile(r"slf4j-(?!api|nop)|over-slf4j|jul-to-slf4j|httpclient-(osgi|cache)")
#: Jena's command-line entry point of ``shacl validate``.
MAIN_CLASS = "shacl.shacl"
#: The class-data-sharing archive of the JVM that set-up writes beside the class path. A JVM that
#: cannot use it (another Java, changed jars) starts without it.
ARCHIVE = "shacl-classes.jsa"
#: The JVM logs to stdout, where Jena writes its report: its warnings (such as an unusable archive) go to stderr.
JVM_LOGGING = ("-Xlog:disable", "-Xlog:all=warning:stderr")
#: What the archiving run validates: enough to load Jena's parsers, SHACL engine and SPARQL constraints.
_WARM_UP_SHAPES = b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <urn:warm-up:> .
ex:shape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:size ; sh:datatype xsd:integer ; sh:minCount 1 ; sh:message "no size" ] ;
    sh:or ( [ sh:path ex:label ; sh:minCount 1 ] [ sh:path ex:name ; sh:minCount 1 ] ) ;
    sh:sparql [ sh:message "negative" ;
        sh:select "SELECT $this WHERE { $this <urn:warm-up:size> ?v FILTER(?v < 0) }" ] .
"""
_WARM_UP_DATA = b"<urn:warm-up:a> a <urn:warm-up:Thing> ; <urn:warm-up:size> -1 .\n"


def home() -> Path:
    """Return the folder of the set-up files, inside the installation (the virtual environment)."""
    return Path(sys.prefix) / "share" / "ember3kg" / "jena"


def unavailable() -> str | None:
    """Say why Jena cannot be used here, or return None when it can.

    Where Debian's Jena is installed but not yet set up (a ``pip install`` without
    ``make jena``), it is set up now, once (:func:`set_up`).
    """
    if shutil.which("java") is None:
        return "Java is not installed"
    if (home() / "classpath").is_file():
        return None
    if not DEBIAN_CORE_JAR.is_file():
        return f"{JENA_PACKAGE} is not installed"
    try:
        set_up()
    except (DataError, OutputError, OSError, subprocess.CalledProcessError) as exc:
        return f"Jena could not be set up in {home()}: {exc}"
    return None


def jena_command() -> list[str] | None:
    """Return the command that starts Jena's SHACL tool, or None when it cannot be used (:func:`unavailable`)."""
    java = shutil.which("java")
    if java is None or unavailable() is not None:
        return None
    archive = home() / ARCHIVE
    sharing = [f"-XX:SharedArchiveFile={archive}"] if archive.is_file() else []
    return _command(java, (home() / "classpath").read_text().strip(), *sharing)


def _command(java: str, classpath: str, *options: str) -> list[str]:
    return [java, "-Xss8m", *JVM_LOGGING, *options, "-cp", classpath, MAIN_CLASS]


def run_jena(shapes: Path, data: Path) -> bytes:
    """Validate ``data`` (N-Triples) against ``shapes`` with Jena; return its report as Turtle.

    :raises DataError: Jena is not set up, or fails.
    """
    command = jena_command()
    if command is None:
        raise DataError(f"Jena SHACL cannot be used: {unavailable() or 'set-up failed'}")
    done = subprocess.run(  # noqa: S603 (Java from PATH, our own files)
        [*command, "validate", "--shapes", str(shapes), "--data", str(data)], capture_output=True, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        raise DataError(f"Jena SHACL failed (exit {done.returncode}): {last}")
    return done.stdout


def _debian_jars() -> list[Path]:
    """List the jars of Jena and of the Debian packages it depends on, once each."""

    def query(*arguments: str) -> str:
        return subprocess.run(["dpkg-query", *arguments], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607

    depends = query("-W", "-f", "${Depends}", JENA_PACKAGE)
    packages = [JENA_PACKAGE, *(re.sub(r"\(.*?\)", "", item).strip() for item in depends.split(","))]
    jars: dict[Path, None] = {}
    for package in packages:
        for line in query("-L", package).splitlines():
            if re.fullmatch(r"/usr/share/java/[^/]+\.jar", line) and not _CLASH.search(line):
                jars[Path(line).resolve()] = None
    return sorted(jars)


def set_up(target: Path | None = None) -> Path:
    """Write the message-bundle jar and the class path file into ``target`` (:func:`home`); return the latter.

    :raises DataError: Debian's Jena is not installed.
    :raises OutputError: ``target`` cannot be written.
    """
    target = make_directory(home() if target is None else target)
    jars = _debian_jars()
    core = next((jar for jar in jars if jar.name.startswith("jena-core")), None)
    if core is None:
        raise DataError(f"{JENA_PACKAGE} is not installed: no jena-core jar")
    jar = io.BytesIO()
    with zipfile.ZipFile(core) as source, zipfile.ZipFile(jar, "w") as copy:
        for name in sorted(source.namelist()):
            if name.startswith(_BUNDLES_KEPT) and name.endswith(".properties"):
                copy.writestr(_BUNDLES_LOOKED_UP + name.removeprefix(_BUNDLES_KEPT), source.read(name))
    bundles = write_atomic(target / "xerces-messages.jar", jar.getvalue())
    classpath = ":".join(map(str, [bundles, *jars]))
    _archive_classes(target, classpath)
    return write_atomic(target / "classpath", f"{classpath}\n".encode())


def _archive_classes(target: Path, classpath: str) -> None:
    """Write :data:`ARCHIVE` into ``target``: validate a small example with the JVM archiving the classes it loads.

    The JVM writes the archive into a staging folder, moved into ``target`` once the JVM has
    ended (a JVM that maps a half-written archive dies). A Java that cannot archive leaves none,
    and Jena then runs without one.
    """
    java = shutil.which("java")
    if java is None:
        return
    with tempfile.TemporaryDirectory(prefix="ember3kg-jena-") as folder, staged_files(target) as staging:
        shapes = write_atomic(Path(folder) / "shapes.ttl", _WARM_UP_SHAPES)
        data = write_atomic(Path(folder) / "data.ttl", _WARM_UP_DATA)
        subprocess.run(  # noqa: S603 (Java from PATH, our own files)
            [
                *_command(java, classpath, f"-XX:ArchiveClassesAtExit={staging / ARCHIVE}"),
                *("validate", "--shapes", str(shapes), "--data", str(data)),
            ],
            capture_output=True,
            check=False,
        )


if __name__ == "__main__":
    sys.stdout.write(f"{set_up()}\n")
