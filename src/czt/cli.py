"""`czt` command line. Thin: every command calls the same functions the Python API offers."""

import click

from czt.commands import data as data_commands
from czt.commands import web as web_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="czt")
def main() -> None:
    """长株潭一体化监测与调度平台 CZT Observatory."""


for command in [*data_commands.COMMANDS, *web_commands.COMMANDS]:
    main.add_command(command)

try:  # analytics methods (czt method …)
    from czt.commands import method as method_commands

    main.add_command(method_commands.method)
except ImportError:  # pragma: no cover - module arrives with the analytics work
    pass

try:  # big-data path (czt flows …)
    from czt.commands import flows as flows_commands

    main.add_command(flows_commands.flows)
except ImportError:  # pragma: no cover - module arrives with the flows work
    pass


if __name__ == "__main__":  # pragma: no cover
    main()
