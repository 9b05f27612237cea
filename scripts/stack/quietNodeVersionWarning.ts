// Imported first by the local tools: the AWS SDK warns at load time that its 2027 releases need Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
