// `signoff mail [--data DIR] [--all] [--link TEXT]`: the mails Signoff wrote to its local mail
// drop (DATA/mail, used when no --smtp-url is set), decoded for reading in a terminal: the newest
// one, or all of them; --link prints only the newest link containing TEXT (for scripts: curl
// "$(signoff mail --link /sns/confirm)").
#include <cstdio>

#include "app/app.h"
#include "app/mail_box.h"
#include "cli/command.h"

namespace signoff::cli {
namespace {

struct MailArgs {
  std::string data_dir = "./signoff-data";
  bool all = false;
  std::string link;
};

void show(const app::DroppedMail& m) {
  std::printf("--- %s\n", m.path.c_str());
  for (const char* h : {"Date", "From", "To", "Subject"}) {
    std::printf("%s: %s\n", h, m.mail.header(h).c_str());
  }
  std::printf("\n%s\n", m.mail.body.c_str());
}

int run(const MailArgs& a) {
  auto mails = app::read_mail_drop(a.data_dir);
  if (mails.empty()) {
    std::fprintf(stderr, "signoff mail: no mail in %s yet\n",
                 app::mail_drop_dir(a.data_dir).c_str());
    return 1;
  }
  if (!a.link.empty()) {
    for (auto it = mails.rbegin(); it != mails.rend(); ++it) {
      auto links = notify::find_links(it->mail.body);
      for (auto l = links.rbegin(); l != links.rend(); ++l) {
        if (l->find(a.link) != std::string::npos) {
          std::printf("%s\n", l->c_str());
          return 0;
        }
      }
    }
    std::fprintf(stderr, "signoff mail: no link containing %s in %s\n", a.link.c_str(),
                 app::mail_drop_dir(a.data_dir).c_str());
    return 1;
  }
  if (a.all) {
    for (const auto& m : mails) {
      show(m);
    }
  } else {
    show(mails.back());
  }
  return 0;
}

const CommandRegistration kRegistration(Parent::Root, [](CLI::App& parent) {
  auto args = std::make_shared<MailArgs>();
  CLI::App* cmd =
      parent.add_subcommand("mail", "Read the mail Signoff wrote to its local mail drop");
  cmd->add_option("--data", args->data_dir, "Data directory of the server")->capture_default_str();
  cmd->add_flag("--all", args->all, "Every mail, oldest first (default: the newest)");
  cmd->add_option("--link", args->link, "Print only the newest link containing this text");
  cmd->callback([args] { exit_status() = run(*args); });
});

}  // namespace
}  // namespace signoff::cli
