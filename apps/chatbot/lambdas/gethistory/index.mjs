// History: a user's call log since a point in time, oldest first.
//
// Event (the request body): {"userId": "...", "allowTime": "2024-05-01 00:00:00"}
// Result: {"statusCode": 200, "msg": "[{\"type\": ..., \"body\": ..., ...}]"}
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.tableName;

export const handler = async (event) => {
  const userId = event?.userId;
  const allowTime = String(event?.allowTime ?? "");
  if (!userId) {
    return { statusCode: 400, msg: "userId is required" };
  }
  const items = [];
  let startKey;
  try {
    do {
      const page = await db.send(new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "user_id = :user_id AND request_time > :since",
        ExpressionAttributeValues: { ":user_id": String(userId), ":since": allowTime },
        ExclusiveStartKey: startKey,
      }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } catch (error) {
    console.error("history query failed", error);
    return { statusCode: 500, msg: "history query failed" };
  }
  return { statusCode: 200, msg: JSON.stringify(items) };
};
