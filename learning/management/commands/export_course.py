from django.core.management.base import BaseCommand, CommandError

from learning.course_files import export_course
from learning.models import Course


class Command(BaseCommand):
    help = "Write a course as a course folder DIR/<slug>/ (format: learning/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("folder")

    def handle(self, *args, slug, folder, **options):
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            raise CommandError(f"no course with slug {slug!r}")
        path = export_course(course, folder)
        self.stdout.write(f"exported {slug} to {path}")
