// The OpenAI-compatible chat-completions protocol as a model agent speaks it (llama.cpp's server,
// Ollama, vLLM and OpenAI accept it): the request with a JSON schema forcing
// {decision, confidence, reason}, and the reading of the answer. Pure.
#pragma once

#include <string>
#include <string_view>

#include "agents/rules.h"
#include "common/json.h"
#include "common/result.h"

namespace signoff::agents {

// What every system prompt ends with, after the agent's approval policy.
inline constexpr const char* kAnswerInstructions =
    "You decide one approval request, given as JSON in the user message. Answer only with a "
    "JSON object {\"decision\": \"approve\" | \"reject\" | \"abstain\", \"confidence\": a number "
    "from 0 to 1, \"reason\": one or two sentences}. Abstain when the policy does not settle it.";

// The body POSTed to BASE_URL/chat/completions.
std::string chat_request(std::string_view model, std::string_view policy,
                         const json::Value& context, int64_t max_tokens);

// The verdict in a chat-completions response body: choices[0].message.content parsed as the
// schema's object; usage.total_tokens as tokens. A malformed answer is an error (the caller
// abstains with it as the reason).
Result<Verdict> parse_chat_response(std::string_view body);

// BASE_URL + "/chat/completions" (a trailing slash is tolerated).
std::string completions_url(std::string_view base_url);

}  // namespace signoff::agents
