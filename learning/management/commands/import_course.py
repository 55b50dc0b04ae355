from django.core.management.base import BaseCommand, CommandError

from learning.course_files import CourseFolderError, import_course


class Command(BaseCommand):
    help = "Create or update a course from a course folder (format: learning/README.md). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="+", help="one or more course folders")

    def handle(self, *args, folder, **options):
        for path in folder:
            try:
                course, created = import_course(path)
            except CourseFolderError as error:
                raise CommandError(f"{path}: nothing was changed.\n" + "\n".join(error.errors)) from None
            self.stdout.write(f"{'created' if created else 'updated'} {course.slug}")
