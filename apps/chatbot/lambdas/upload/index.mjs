// Upload: returns a presigned URL the web client PUTs a document to.
//
// Called through a non-proxy REST integration: the request body is the event,
//   {"filename": "report.pdf", "contentType": "application/pdf"}
// and the result is the response body,
//   {"statusCode": 200, "body": "{\"Bucket\": ..., \"Key\": ..., \"UploadURL\": ...}"}
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

const s3 = new S3Client({});
const bucketName = process.env.bucketName;
const s3Prefix = process.env.s3_prefix;
const URL_TTL_SECONDS = 300;

export const handler = async (event) => {
  const filename = String(event?.filename ?? "").split("/").pop();
  const contentType = String(event?.contentType ?? "application/octet-stream");
  if (!filename || filename === "." || filename === "..") {
    return { statusCode: 400, body: JSON.stringify({ error: "filename is required" }) };
  }
  const key = `${s3Prefix}/${filename}`;
  try {
    const uploadUrl = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: bucketName, Key: key, ContentType: contentType }),
      { expiresIn: URL_TTL_SECONDS },
    );
    return {
      statusCode: 200,
      body: JSON.stringify({ Bucket: bucketName, Key: key, Timestamp: new Date().toISOString(), UploadURL: uploadUrl }),
    };
  } catch (error) {
    console.error("presigning failed", error);
    return { statusCode: 500, body: JSON.stringify({ error: "could not create an upload URL" }) };
  }
};
