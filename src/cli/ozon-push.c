/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "oip-cli.h"
#include "oip-keyring.h"

static const struct {
  const char    *name;
  OipCliCommand  run;
  const char    *summary;
} commands[] = {
  { "login", oip_cli_login, N_("Store an API Key (read from standard input) in the keyring") },
  { "logout", oip_cli_logout, N_("Remove an API Key from the keyring") },
  { "accounts", oip_cli_accounts, N_("List the Client IDs stored in the keyring") },
  { "product", oip_cli_product, N_("Download a product (--offer-id, --product-id or --sku) and remember it") },
  { "products", oip_cli_products, N_("List the account’s products") },
  { "push", oip_cli_push, N_("Replace a product’s images (--request FILE, or --product-id N --image URL…)") },
  { "bulk", oip_cli_bulk, N_("Push many products from a CSV or a folder of product folders (--csv FILE, --folder DIR)") },
  { "history", oip_cli_history, N_("List the pushes made from this computer (JSON lines, newest first)") },
  { "restore", oip_cli_restore, N_("Put back the images a product had right before a push (--push ID)") },
  { "retry", oip_cli_retry, N_("Send again the images that failed in a push (--push ID)") },
  { "status", oip_cli_status, N_("Show a product’s pictures on Ozon and their errors") },
  { "upload", oip_cli_upload, N_("Upload picture files to your storage and print their public URLs") },
  { "storage", oip_cli_storage, N_("Set up (storage set …) or test (storage test) your S3-compatible storage") },
};

static void
print_help (void)
{
  g_print ("%s\n  ozon-push %s\n\n%s\n", _("Usage:"), _("COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_print ("\n%s\n", _("Run “ozon-push COMMAND --help” for a command’s options."));
  g_print ("\n%s\n", _("Credentials come from the request file, else from the environment variables\n"
                       "OZON_CLIENT_ID and OZON_API_KEY, else from the system keyring; never from\n"
                       "the command line. OZON_API_URL replaces Ozon’s address (https only, or http\n"
                       "to this computer)."));
  g_print ("\n%s\n", _("Results are printed as JSON on standard output. Exit status: 0 success,\n"
                       "1 refused or failed (the JSON says why), 2 wrong usage."));
}

static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GCancellable) cancellable = NULL;
  const char *localedir = g_getenv ("OZON_PUSH_LOCALEDIR");
  OipCli cli = { .timeout = -1, .max_retries = -1 };

  /* Before anything can start a thread or a process (GLib's worker
   * thread, D-Bus autolaunch): the secrets leave the environment. */
  oip_env_secrets_take ();
  /* Nobody may see a keyring's unlock prompt from here: say it is locked. */
  oip_keyring_set_interactive (FALSE);
  cancellable = g_cancellable_new ();
  cli.cancellable = cancellable;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("ozon-push");
  /* Standard output is for the JSON result only, even with debug logs on. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_help ();
      return argc < 2 ? OIP_CLI_EXIT_USAGE : OIP_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("ozon-push %s\n", PACKAGE_VERSION);
      return OIP_CLI_EXIT_OK;
    }

  g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  g_unix_signal_add (SIGTERM, on_interrupt, cancellable);
  oip_push_settings_load (&cli.settings);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        g_autofree char *prgname = g_strdup_printf ("ozon-push %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].run (&cli, argc - 1, argv + 1);
      }

  g_printerr (_("ozon-push: unknown command “%s”\n"), argv[1]);
  print_help ();
  return OIP_CLI_EXIT_USAGE;
}
