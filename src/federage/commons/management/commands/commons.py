"""`federage commons`: one line per commons: slug, name, visibility, member count."""

from django.core.management.base import BaseCommand

from federage.commons.selectors import commons_all_with_member_counts


class Command(BaseCommand):
    help = "List the commons: slug, name, visibility, member count (tab-separated)."

    def handle(self, *args, **options) -> None:
        for commons in commons_all_with_member_counts():
            self.stdout.write(
                f"{commons.slug}\t{commons.name}\t{commons.visibility}\t{commons.member_count}"
            )
