"""Demo courses: the folders in learning/demo_courses/, loaded through the import service. Idempotent."""

from pathlib import Path

from learning.course_files import import_course
from learning.models import Course

DEMO_DIR = Path(__file__).resolve().parent / "demo_courses"


def seed(stdout=None):
    for folder in sorted(p for p in DEMO_DIR.iterdir() if (p / "course.md").is_file()):
        if Course.objects.filter(slug=folder.name).exists():
            continue  # already loaded: never create twice, never overwrite staff's edits
        course, _created = import_course(folder)
        if stdout is not None:
            stdout.write(f"learning: demo course {course.slug}\n")
    return []
